import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { segmentMatcher } from "./segment-match.ts";

/** What the template meant as a lazy regular expression (how it was matched before): the reference. */
function regexMatch(template: string, pathname: string): Array<[string, string]> | undefined {
  const names: string[] = [];
  const source = template.replace(/\{([^{}]+)\}|[.*+?^$()|[\]\\]/g, (whole, name: string | undefined) => {
    if (name === undefined) return `\\${whole}`;
    names.push(name);
    return "([^/]+?)";
  });
  const match = new RegExp(`^${source}$`).exec(pathname);
  return match ? names.map((name, i) => [name, match[i + 1]]) : undefined;
}

describe("paths with text and parameters in one segment", () => {
  it("reads each parameter as the shortest text the rest still matches after", () => {
    const match = segmentMatcher("/v2/files/{name}.{ext}");
    expect(match("/v2/files/report.pdf")).toEqual([
      ["name", "report"],
      ["ext", "pdf"],
    ]);
    expect(match("/v2/files/report.final.pdf")).toEqual([
      ["name", "report"],
      ["ext", "final.pdf"],
    ]);
    expect(match("/v2/files/noext")).toBeUndefined();
    expect(match("/v2/files/.pdf")).toBeUndefined();
    expect(match("/v2/files/a.pdf/more")).toBeUndefined();
    expect(segmentMatcher("/d/{a}.{b}.json")("/d/x.y.z.json")).toEqual([
      ["a", "x"],
      ["b", "y.z"],
    ]);
  });

  it("agrees with the lazy regular expression on every path", () => {
    const templates = fc.constantFrom("/f/{a}.{b}", "/f/{a}.{b}.{c}", "/f/x{a}-{b}y/{c}", "/f/{a}{b}", "/{a}/v{b}.{c}.json", "/f/{a}..{b}");
    const path = fc.array(fc.constantFrom("/", ".", "-", "x", "y", "v", "json", "f", "a"), { maxLength: 14 }).map((parts) => `/${parts.join("")}`);
    fc.assert(
      fc.property(templates, path, (template, pathname) => {
        expect(segmentMatcher(template)(pathname)).toEqual(regexMatch(template, pathname));
      }),
      { numRuns: 3000 },
    );
  });

  it("answers a 16 KB segment at once where the regular expression would backtrack for minutes", () => {
    // Three parameters over 16,000 dots that never end in ".json": the backtracking
    // expression tries every way to place the parameters, about 10^11 steps.
    const hostile = `/f/${".".repeat(16_000)}`;
    expect(segmentMatcher("/f/{a}.{b}.{c}.json")(hostile)).toBeUndefined();
    expect(segmentMatcher("/f/{a}.{b}.{c}")(`/f/${".".repeat(16_000)}`)).toEqual([
      ["a", "."],
      ["b", "."],
      ["c", ".".repeat(15_996)],
    ]);
  });
});
