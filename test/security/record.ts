/**
 * `node test/security/record.ts`: runs the security suite at full count (what
 * `npm run test:security` runs: test/security against `npm run dev`,
 * test/workers/security inside workerd) and writes its table into
 * docs/security.md. Exits 1 when a case failed that is not marked `it.fails`.
 */
import { startVitest } from "vitest/node";
import { writeResults } from "./report/document.ts";
import SecurityTable from "./report/reporter.ts";

process.env.PORTICO_SECURITY_PROFILE = "full";
let written = false;
let failed = 0;
const vitest = await startVitest("test", ["test/security", "test/workers/security"], {
  run: true,
  watch: false,
  reporters: [
    "default",
    new SecurityTable({
      onRows: (rows, results) => {
        writeResults(rows, results);
        written = true;
        failed = results.filter((result) => result.outcome === "failed").length;
      },
    }),
  ],
});
await vitest.close();
if (!written) console.error("No security case ran: docs/security.md is unchanged.");
else console.error("docs/security.md written.");
process.exit(!written || failed > 0 || process.exitCode ? 1 : 0);
