/**
 * Golden outputs: every document of test/golden/harness.ts is built with the
 * CLI, served by workerd and sent its fixed request set; the status, headers
 * and body hash of each answer must equal test/fixtures/golden/<name>.json.
 * The example project and test/fixtures/specs run on any clone; the documents
 * of ../shared/fixtures only when that folder is there.
 *
 * A deliberate change of behaviour: `npm run golden:record` rewrites the
 * goldens from the code as it is; review their diff before keeping it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { hasSharedFixtures, sharedFixturesMissing, withSharedFixtures } from "../support/shared-fixtures.ts";
import { describeDifferences, type GoldenDocument, goldenDocuments, goldenPath, type GoldenRun, readGolden, runDocuments } from "../golden/harness.ts";

const documents = goldenDocuments();
const local = documents.filter((document) => !document.name.startsWith("shared-"));
const shared = documents.filter((document) => document.name.startsWith("shared-"));
let results = new Map<string, GoldenRun | Error>();

beforeAll(async () => {
  results = await runDocuments(documents);
}, 600_000);

function compare(document: GoldenDocument) {
  const golden = readGolden(document);
  if (!golden) throw new Error(`No golden for ${document.source}: run \`npm run golden:record -- ${document.name}\` to write ${goldenPath(document)}.`);
  const result = results.get(document.name);
  if (result instanceof Error) throw result;
  if (!result) throw new Error(`${document.name} was not run.`);
  const differences = describeDifferences(golden, result);
  if (differences) expect.fail(differences);
  expect(result.records.length).toBe(golden.records.length);
}

describe("golden outputs: the example project and test/fixtures/specs", () => {
  for (const document of local) {
    it(`${document.name} (${document.source})`, () => compare(document));
  }
});

const sharedTitle = hasSharedFixtures
  ? "golden outputs: the documents of ../shared/fixtures"
  : `golden outputs: the documents of ../shared/fixtures: ${sharedFixturesMissing}`;

describe(sharedTitle, withSharedFixtures, () => {
  if (!hasSharedFixtures) it("documents of ../shared/fixtures", () => {});
  for (const document of shared) {
    it(`${document.name} (${document.source})`, () => compare(document));
  }
});
