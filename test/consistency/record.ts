/**
 * `npm run consistency`: runs the self-consistency check on every document
 * (../shared/fixtures too when it is there) and writes the counts into
 * docs/validation.md; failing operations are printed.
 */
import { consistencyDocuments, failures, runConsistency } from "./run.ts";
import { writeTable } from "./table.ts";

const started = performance.now();
const results = await runConsistency(consistencyDocuments(), { log: (line) => console.error(line) });
writeTable(results);
for (const result of results) for (const failure of failures(result)) console.error(`${result.document.name}: ${failure}`);
console.error(`docs/validation.md written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
