/**
 * Every answer the mock would serve, for every document of test/fixtures/specs
 * and (when the folder is there) of ../shared/fixtures, built as `portico check
 * --default-handler mock` builds it: each JSON example value of each
 * operation's prepared responses must meet the response's schema, judged by
 * the validator the gateway uses (response direction: writeOnly properties not
 * required). Counts per document are printed, for docs/openapi-support.md.
 *
 *   npx vitest run --project node test/node/mock-answers.test.ts
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/compile.ts";
import { follow } from "../../src/compiler/plan/validator-lookup.ts";
import { forDirection } from "../../src/compiler/validators/read-write-only.ts";
import { createValidatorSet } from "../../src/compiler/validators/validators.ts";
import { isJsonMediaType, type MockPrepared } from "../../src/handlers/mock/options.ts";
import {
  hasSharedFixtures,
  manifestDocuments,
  SHARED_FAILURES,
  sharedFixtures,
  sharedFixturesMissing,
  withSharedFixtures,
} from "../support/shared-fixtures.ts";

const here = fileURLToPath(new URL(".", import.meta.url).href);
const copied = join(here, "../fixtures/specs");
const escape = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");

interface Counts {
  operations: number;
  /** JSON answers (one per served example value) checked against their schema. */
  checked: number;
  valid: number;
  /** Examples of the document that break their response schema, served as generated values instead. */
  replaced: number;
  /** Answers the document gives no schema for, or in another media type: served as written. */
  unchecked: number;
  /** Every example of the document (parameters, bodies, responses, schemas) checked at build, and those that break their schema. */
  examples: number;
  broken: number;
}

const table: Array<[string, Counts]> = [];

/** Builds the document with the mock everywhere and checks every answer it would serve. */
async function answers(spec: string): Promise<{ counts: Counts; invalid: string[] }> {
  const result = await compile({ root: here, spec, check: true, defaultHandler: "mock" });
  expect(result.errors.map((e) => e.format())).toEqual([]);
  const { document, paths } = result.plan!;
  const validators = createValidatorSet(forDirection(document, "response"));
  const { checked: examples = 0, broken = 0, replaced = 0 } = result.examples ?? {};
  const counts: Counts = { operations: 0, checked: 0, valid: 0, replaced, unchecked: 0, examples, broken };
  const invalid: string[] = [];
  for (const path of paths) {
    for (const operation of path.operations) {
      counts.operations++;
      const method = operation.method.toLowerCase();
      // The operation's own path item: Box's `/files/{id}#add_shared_link` joins the route of `/files/{id}`.
      const at = `/paths/${escape(operation.path)}/${method}`;
      const { node: responses, pointer: responsesAt } = follow(document, document.paths[operation.path][method].responses ?? {}, `${at}/responses`);
      for (const response of (operation.handler.prepared as MockPrepared).responses) {
        if (!response.contentType || response.examples.length === 0) continue;
        const { node: declared, pointer: responseAt } = follow(document, responses[response.key], `${responsesAt}/${escape(response.key)}`);
        const { node: media, pointer: mediaAt } = follow(
          document,
          declared.content[response.contentType],
          `${responseAt}/content/${escape(response.contentType)}`,
        );
        if (!isJsonMediaType(response.contentType) || media?.schema === undefined) {
          counts.unchecked += response.examples.length;
          continue;
        }
        const check = validators.check(`${mediaAt}/schema`);
        for (const example of response.examples) {
          counts.checked++;
          const faults = check(example.value);
          if (faults.length === 0) counts.valid++;
          else invalid.push(`${operation.operationId} ${response.key} "${example.name}": ${JSON.stringify(faults[0])}`);
        }
      }
    }
  }
  return { counts, invalid };
}

async function expectAllValid(name: string, spec: string) {
  const { counts, invalid } = await answers(spec);
  table.push([name, counts]);
  expect(invalid.slice(0, 5)).toEqual([]);
  expect(counts.valid).toBe(counts.checked);
}

afterAll(() => {
  const rows = table.map(
    ([name, c]) => `| ${name} | ${c.operations} | ${c.checked} | ${c.valid} | ${c.replaced} | ${c.unchecked} | ${c.examples} | ${c.broken} |`,
  );
  const head = "| document | operations | mock answers checked | valid | examples replaced | not JSON, no schema | examples checked | break their schema |";
  console.log([head, "|---|---:|---:|---:|---:|---:|---:|---:|", ...rows].join("\n"));
});

describe("every mock answer of test/fixtures/specs meets its response schema", () => {
  const expected: Record<string, { error?: unknown }> = JSON.parse(readFileSync(join(copied, "expected.json"), "utf8"));
  for (const [file, want] of Object.entries(expected)) {
    if (want.error) continue;
    it(file, () => expectAllValid(`specs/${file}`, join(copied, file)));
  }
});

const sharedTitle = hasSharedFixtures
  ? "every mock answer of ../shared/fixtures meets its response schema"
  : `every mock answer of ../shared/fixtures meets its response schema: ${sharedFixturesMissing}`;

describe(sharedTitle, withSharedFixtures, () => {
  if (!hasSharedFixtures) it("documents of ../shared/fixtures", () => {});
  for (const { file } of hasSharedFixtures ? manifestDocuments() : []) {
    if (file in SHARED_FAILURES) continue;
    it(file, { timeout: 120_000 }, () => expectAllValid(file.replace(/^openapi\//, ""), join(sharedFixtures, file)));
  }
});
