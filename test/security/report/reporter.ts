/**
 * A vitest reporter that closes a run holding security cases (test/security,
 * test/workers/security) with the security table: per catalogue group, the
 * cases tried, held and failed. It prints nothing for other runs, so it sits
 * beside the default reporter in vitest.config.ts; record.ts takes the rows.
 */
import type { Reporter, TestCase, TestModule, Vitest } from "vitest/node";
import { caseIdOf, groupOf } from "./groups.ts";
import { markdownTable, tally, type CaseResult, type GroupRow } from "./table.ts";

const WHERE = [
  { folder: "/test/security/", where: "test/security" },
  { folder: "/test/workers/security/", where: "test/workers/security" },
] as const;

function resultOf(test: TestCase, where: CaseResult["where"]): CaseResult {
  const id = caseIdOf(test.name);
  const state = test.result().state;
  const expectedToFail = test.options.fails === true;
  let outcome: CaseResult["outcome"];
  if (state === "skipped" || state === "pending") outcome = "skipped";
  else if (state === "failed") outcome = "failed";
  else outcome = expectedToFail ? "known failure" : "held";
  return { group: groupOf(id), id, title: test.name, where, outcome };
}

export function securityResults(modules: ReadonlyArray<TestModule>): CaseResult[] {
  const results: CaseResult[] = [];
  for (const module of modules) {
    const place = WHERE.find(({ folder }) => module.moduleId.includes(folder));
    if (!place) continue;
    for (const test of module.children.allTests()) results.push(resultOf(test, place.where));
  }
  return results;
}

export default class SecurityTable implements Reporter {
  #vitest?: Vitest;
  #onRows?: (rows: GroupRow[], results: CaseResult[]) => void;

  constructor(options: { onRows?: (rows: GroupRow[], results: CaseResult[]) => void } = {}) {
    this.#onRows = options.onRows;
  }

  onInit(vitest: Vitest): void {
    this.#vitest = vitest;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const results = securityResults(modules);
    if (results.length === 0) return;
    const rows = tally(results);
    this.#vitest?.logger.log(`\nSecurity cases (${process.env.PORTICO_SECURITY_PROFILE === "full" ? "full" : "short"} profile):\n${markdownTable(rows)}\n`);
    this.#onRows?.(rows, results);
  }
}
