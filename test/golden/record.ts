/**
 * @module
 * Records the golden outputs again: runs every document of the golden test
 * (test/golden/harness.ts) with the code as it is now and rewrites
 * test/fixtures/golden/<name>.json. Only for a deliberate change of
 * behaviour: review the rewritten files' diff before keeping them.
 *
 *   npm run golden:record                  # every document (../shared/fixtures ones when present)
 *   npm run golden:record -- example ...   # only the documents named
 */
import { goldenDocuments, goldenPath, runDocuments, writeGolden } from "./harness.ts";

const only = new Set(process.argv.slice(2));
const documents = goldenDocuments().filter((document) => only.size === 0 || only.has(document.name));
if (only.size > 0 && documents.length === 0) {
  console.error(
    `No document is named ${[...only].join(", ")}. Names: ${goldenDocuments()
      .map((d) => d.name)
      .join(", ")}`,
  );
  process.exit(2);
}
const started = performance.now();
const results = await runDocuments(documents, {
  onDone: (document, ms, error) =>
    console.error(`${((performance.now() - started) / 1000).toFixed(1)} s  ${document.name}: ${error ? "FAILED" : "done"} in ${(ms / 1000).toFixed(1)} s`),
});
let failed = 0;
for (const document of documents) {
  const result = results.get(document.name)!;
  if (result instanceof Error) {
    failed++;
    console.error(`${document.name} (${document.source}): ${result.message}`);
    continue;
  }
  writeGolden(document, result);
  console.log(`${goldenPath(document)}: ${result.records.length} requests`);
}
console.error(`${((performance.now() - started) / 1000).toFixed(1)} s in all; ${documents.length - failed} golden(s) written, ${failed} failed.`);
process.exitCode = failed > 0 ? 1 : 0;
