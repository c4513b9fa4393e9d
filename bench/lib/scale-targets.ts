/**
 * @module
 * The targets bench:scale judges on GitHub's REST API description (811 paths,
 * 1,223 operations), the largest real document it builds: `portico build`
 * time, memory and portal size, and the Worker's start-up and memory.
 */
import type { CliBuild } from "./scale-cli-build.ts";
import { GITHUB_DOCUMENT_NAME } from "./scale-documents.ts";

/** What the targets read of a document's results. */
export interface ScaleTargetInput {
  name: string;
  evaluationMs: number;
  heapUsedBytes?: number;
  build?: CliBuild;
}

const MB = 1_000_000;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const verdict = (met: boolean) => (met ? "met" : "**missed**");

/** Rows of what, target, this run's figure and whether it is met; none when GitHub's document was not measured. */
export function githubTargetRows(scale: { documents: ScaleTargetInput[] }): string[][] {
  const github = scale.documents.find((document) => document.name === GITHUB_DOCUMENT_NAME);
  if (!github) return [];
  const rows: string[][] = [];
  const { build } = github;
  if (build) {
    rows.push([`GitHub's document: \`portico build\`, portal included`, "< 4 s", `${(build.buildMs / 1000).toFixed(1)} s`, verdict(build.buildMs < 4000)]);
    rows.push([`GitHub's document: \`portico build\`, peak memory`, "< 500 MB", mb(build.peakRssBytes), verdict(build.peakRssBytes < 500 * MB)]);
    rows.push([
      `GitHub's document: portal on disk (${build.portalFiles} files)`,
      "< 25 MB",
      `${mb(build.portalDiskBytes)} (${mb(build.portalBytes)} of content)`,
      verdict(build.portalDiskBytes < 25 * MB),
    ]);
  }
  rows.push([
    `GitHub's document: start-up (module evaluation in workerd)`,
    "< 100 ms",
    `${github.evaluationMs.toFixed(1)} ms`,
    verdict(github.evaluationMs < 100),
  ]);
  if (github.heapUsedBytes !== undefined) {
    rows.push([`GitHub's document: isolate heap after the first requests`, "< 32 MB", mb(github.heapUsedBytes), verdict(github.heapUsedBytes < 32 * MB)]);
  }
  return rows;
}
