/**
 * Self-consistency: for every operation of every document (test/fixtures/specs
 * always, ../shared/fixtures/openapi when that folder is there), a request
 * made from the operation's own examples and schemas is admitted by the
 * gateway serving the document, and the same request with one constraint
 * broken is refused with a 400 pointing at it. See test/consistency/run.ts
 * for how documents are built and served, and docs/validation.md for the
 * counts (`npm run consistency`).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { consistencyDocuments, countsOf, type DocumentResult, failures, runConsistency } from "../consistency/run.ts";
import { hasSharedFixtures, sharedFixturesMissing } from "../support/shared-fixtures.ts";

/**
 * Operations that fail by a gap of the gateway, by document, each with why.
 * They must go on failing (remove them when they pass); every other operation
 * of the document is held to the full check.
 */
const KNOWN_GAPS: Record<string, Record<string, string>> = {};

const documents = consistencyDocuments();
let results: DocumentResult[] = [];

beforeAll(async () => {
  results = await runConsistency(documents);
}, 170_000);

const title = hasSharedFixtures ? "self-consistency" : `self-consistency (../shared/fixtures: ${sharedFixturesMissing})`;

describe(title, () => {
  for (const [index, document] of documents.entries()) {
    const gaps = KNOWN_GAPS[document.name] ?? {};
    const known = Object.keys(gaps);
    const suffix = known.length > 0 ? ` but the known gap(s) of ${known.join(", ")}` : "";
    it(`${document.name}: every valid request admitted, every broken one refused where it breaks${suffix}`, () => {
      const result = results[index];
      expect(result.document.name).toBe(document.name);
      const found = failures(result);
      for (const operation of known)
        expect(
          found.some((failure) => failure.startsWith(`${operation}: `)),
          `${operation} passes now: remove it from KNOWN_GAPS`,
        ).toBe(true);
      expect(found.filter((failure) => !known.some((operation) => failure.startsWith(`${operation}: `)))).toEqual([]);
      const counts = countsOf(result);
      expect(counts.unsent).toBe(0);
      if (known.length === 0) {
        expect(counts.admitted).toBe(counts.tried);
        expect(counts.refused).toBe(counts.breakable);
      }
    });
  }
});
