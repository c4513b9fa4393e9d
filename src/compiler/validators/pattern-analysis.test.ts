/**
 * The ReDoS analyser on patterns a client could make slow, on every pattern
 * of the real documents we test against, and on the expressions the formats
 * run; and its verdicts kept between builds.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { formats } from "../../runtime/formats/formats.ts";
import { ipv4Address, ipv6Address } from "../../runtime/formats/ip-address.ts";
import { uriTemplate } from "../../runtime/formats/uri-template.ts";
import { iri, uri } from "../../runtime/formats/uri.ts";
import { url } from "../../runtime/formats/url.ts";
import { judgePatterns } from "./pattern-analysis.ts";

const require = createRequire(import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), "portico-patterns-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const statuses = async (patterns: string[]) => Object.fromEntries([...(await judgePatterns(patterns))].map(([pattern, verdict]) => [pattern, verdict.status]));

describe("judgePatterns", () => {
  it("flags nested repetition, overlapping alternatives and repetitions side by side, with a string that shows it", async () => {
    const flagged = ["^(a+)+$", "^(a|a)*$", "^(a|b|ab)*c$", "^(\\w+\\s?)*$", "^([a-z0-9]+[-.]?)*\\.com$", "(\\d+)+x", "^.*a.*a.*$", "^(?=a)(a+)+$"];
    expect(await statuses(flagged)).toEqual(Object.fromEntries(flagged.map((pattern) => [pattern, "vulnerable"])));
    expect((await judgePatterns(["^(a+)+$"])).get("^(a+)+$")).toEqual({
      status: "vulnerable",
      complexity: "exponential",
      attack: "'a' + 'a'.repeat(31) + '\\x00'",
    });
    expect((await judgePatterns(["^.*a.*a.*$"])).get("^.*a.*a.*$")).toMatchObject({ complexity: "3rd degree polynomial" });
  });

  it("passes ordinary patterns, lookaround and backreferences included", async () => {
    const ordinary = ["^[a-z0-9-]+$", "^\\d{4}-\\d{2}-\\d{2}$", "^(?=.*[A-Z])(?=.*\\d).{8,}$", "^(a|b)\\1$", "^\\p{L}+$", "^[A-Za-z0-9+/]*={0,2}$"];
    expect(await statuses(ordinary)).toEqual(Object.fromEntries(ordinary.map((pattern) => [pattern, "safe"])));
  });

  it("flags 3 of the 134 patterns of real documents, each quadratic", { timeout: 120_000 }, async () => {
    const corpus: Record<string, string> = JSON.parse(
      readFileSync(fileURLToPath(new URL("../../../test/fixtures/patterns/real-world.json", import.meta.url).href), "utf8"),
    );
    const verdicts = await judgePatterns(Object.keys(corpus));
    expect(verdicts.size).toBe(134);
    const flagged = [...verdicts].filter(([, verdict]) => verdict.status !== "safe");
    expect(Object.fromEntries(flagged.map(([pattern, verdict]) => [corpus[pattern], verdict.status === "vulnerable" && verdict.complexity]))).toEqual({
      "box/openapi.json#/components/schemas/AiAgentBasicTextTool/allOf/1/properties/prompt_template/pattern": "2nd degree polynomial",
      "digitalocean/specification/DigitalOcean-public.v2.yaml#/paths/~1v1~1batches~1files/post/requestBody/content/application~1json/schema/properties/file_name/pattern":
        "2nd degree polynomial",
      "digitalocean/specification/DigitalOcean-public.v2.yaml#/paths/~1v2~1databases~1{database_cluster_uuid}~1config/patch/requestBody/content/application~1json/schema/properties/config/anyOf/0/properties/innodb_ft_server_stopword_table/pattern":
        "2nd degree polynomial",
    });
  });

  it("passes the expressions the formats run (ajv-formats' that Portico keeps, and its own)", { timeout: 120_000 }, async () => {
    const { fullFormats } = require("ajv-formats/dist/formats.js") as typeof import("ajv-formats/dist/formats.js");
    const kept = Object.entries(fullFormats).flatMap(([name, format]) => (format instanceof RegExp && !(name in formats) ? [format] : []));
    const own = [ipv4Address, ipv6Address, uri.absolute, uri.reference, iri.absolute, iri.reference, uriTemplate, url];
    const verdicts = await Promise.all(
      [...kept, ...own].map(async (rx) => [rx.source.slice(0, 40), (await judgePatterns([rx.source])).get(rx.source)?.status]),
    );
    expect(verdicts.filter(([, status]) => status !== "safe")).toEqual([]);
    // ajv-formats' own `url` is quadratic on a string a client chooses: Portico's replaces it.
    const theirs = (fullFormats.url as RegExp).source;
    expect((await judgePatterns([theirs])).get(theirs)).toMatchObject({ status: "vulnerable" });
  });

  it("reads and writes verdicts in a file beside the generated app", async () => {
    const cacheFile = join(scratch, "cache", "pattern-verdicts.json");
    await judgePatterns(["^[a-z]+$", "^(a+)+$"], { cacheFile, writeCache: true });
    const written = JSON.parse(readFileSync(cacheFile, "utf8"));
    expect(Object.keys(written.verdicts)).toEqual(["u/^(a+)+$", "u/^[a-z]+$"]);
    expect(written.analyser).toMatch(/^recheck \d+\.\d+\.\d+ /);
    // A verdict found in the file is taken as it is: no analysis runs for it.
    writeFileSync(cacheFile, JSON.stringify({ ...written, verdicts: { "u/^stored$": { status: "vulnerable", complexity: "exponential" } } }));
    expect((await judgePatterns(["^stored$"], { cacheFile })).get("^stored$")).toEqual({ status: "vulnerable", complexity: "exponential" });
    // A file written by another analyser or version is not read.
    writeFileSync(cacheFile, JSON.stringify({ analyser: "other", verdicts: { "u/^other$": { status: "vulnerable", complexity: "exponential" } } }));
    expect((await judgePatterns(["^other$"], { cacheFile })).get("^other$")).toEqual({ status: "safe" });
  });
});
