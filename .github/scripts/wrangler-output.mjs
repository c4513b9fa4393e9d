// Reads what wrangler reported about a deploy or a preview and hands it to the next steps.
// Wrangler appends one JSON line per command to WRANGLER_OUTPUT_FILE_PATH: a structured
// record, so the workflows never scrape its human-readable output, whose wording changes.
//
//   node .github/scripts/wrangler-output.mjs deploy    # url, version_id
//   node .github/scripts/wrangler-output.mjs preview   # url, deployment_url, name
import { appendFileSync, readFileSync } from "node:fs";

const firstUrl = (list) => (list ?? []).find((target) => /^https?:\/\//.test(target)) ?? "";

const pick = {
  deploy: (entry) => ({ url: firstUrl(entry.targets), version_id: entry.version_id ?? "" }),
  preview: (entry) => ({
    url: firstUrl(entry.preview_urls),
    deployment_url: firstUrl(entry.deployment_urls),
    name: entry.preview_name ?? "",
  }),
};

const [type] = process.argv.slice(2);
const outputFile = process.env.WRANGLER_OUTPUT_FILE_PATH;
if (!pick[type] || !outputFile) {
  console.error("usage: WRANGLER_OUTPUT_FILE_PATH=<file> node wrangler-output.mjs deploy|preview");
  process.exit(2);
}

const entries = readFileSync(outputFile, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line));
const entry = entries.findLast((candidate) => candidate.type === type);
if (!entry) {
  console.error(`wrangler reported no ${type} in ${outputFile}: did the command fail before it finished?`);
  process.exit(1);
}

const outputs = pick[type](entry);
const lines = Object.entries(outputs).map(([key, value]) => `${key}=${value}`);
console.log(lines.join("\n"));
if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, lines.join("\n") + "\n");
