import { describe, expect, it } from "vitest";
import { githubTargetRows } from "../../bench/lib/scale-targets.ts";

const build = { buildMs: 3_500, peakRssBytes: 620_000_000, portalBytes: 21_000_000, portalDiskBytes: 24_500_000, portalFiles: 2249 };

describe("the targets bench:scale judges on GitHub's document", () => {
  it("judges build time, build memory, portal size, start-up and heap on the run's figures", () => {
    const rows = githubTargetRows({
      documents: [
        { name: "real-world/openai/openapi.json", evaluationMs: 500 },
        { name: "github/api.github.com.json", evaluationMs: 84.8, heapUsedBytes: 33_000_000, build },
      ],
    });
    expect(rows.map(([what, , figure, verdict]) => [what.replace(/^GitHub's document: /, ""), figure, verdict])).toEqual([
      ["`portico build`, portal included", "3.5 s", "met"],
      ["`portico build`, peak memory", "620.0 MB", "**missed**"],
      ["portal on disk (2249 files)", "24.5 MB (21.0 MB of content)", "met"],
      ["start-up (module evaluation in workerd)", "84.8 ms", "met"],
      ["isolate heap after the first requests", "33.0 MB", "**missed**"],
    ]);
  });

  it("has no rows when the run did not build GitHub's document", () => {
    expect(githubTargetRows({ documents: [{ name: "synthetic, 10 operations", evaluationMs: 5 }] })).toEqual([]);
  });
});
