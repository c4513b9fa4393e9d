/**
 * Policy instances on one operation's way: a named one listed twice runs
 * once, and inline rate limits and quotas are named after their operation
 * and place, never all "default".
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../../test/support/temp-project.ts";
import { compile } from "../compile.ts";

async function build(document: string) {
  const result = await compile({ root: tempProject({ "openapi/openapi.yaml": document }) });
  expect(result.errors.map((e) => e.format())).toEqual([]);
  return { result, app: readFileSync(result.appFile!, "utf8") };
}

describe("policy instances on one operation", () => {
  it("runs a named rate limit listed gateway-wide and on the operation once, and says so", async () => {
    const { result, app } = await build(
      spec(
        "  /things:\n    get:\n      operationId: listThings\n      x-portico: { inbound: [per-address] }\n      responses: { '200': { description: ok } }",
        "x-portico:\n  handler: mock\n  inbound: [per-address]\n  policies:\n    per-address: { use: rate-limit, options: { limit: 5, window: 60, by: ip } }",
      ),
    );
    const listThings = app.slice(app.indexOf('operationId: "listThings"'));
    const inbound = /inbound: \[([^\]]*)\]/.exec(listThings)![1];
    expect(inbound.match(/per_address|perAddress|per-address/g)).toHaveLength(1);
    const twice = result.warnings.filter((w) => w.message.includes("listed twice"));
    expect(twice.map((w) => [w.location.pointer, w.message])).toEqual([
      ["/paths/~1things/get/x-portico/inbound/0", expect.stringContaining('"per-address" is listed twice on listThings (first at /x-portico/inbound/0)')],
    ]);
  });

  it("names inline limits after their operation and place, cut to 32 characters with a hash when longer", async () => {
    const long = "listEveryThingThatTheMuseumHasEverOwned";
    const { app } = await build(
      spec(
        [
          "  /things:",
          "    get:",
          "      operationId: listThings",
          "      x-portico: { inbound: [{ use: rate-limit, options: { limit: 5, window: 1, by: ip } }, { use: rate-limit, options: { limit: 100, window: 60, by: ip } }] }",
          "      responses: { '200': { description: ok } }",
          "  /all:",
          "    get:",
          `      operationId: ${long}`,
          "      x-portico: { inbound: [{ use: rate-limit, options: { limit: 5, window: 1, by: ip } }] }",
          "      responses: { '200': { description: ok } }",
        ].join("\n"),
        "x-portico: { handler: mock }",
      ),
    );
    const names = [...app.matchAll(/name: "([^"]+)"/g)].map((m) => m[1]);
    expect(names).toContain("listThings-0");
    expect(names).toContain("listThings-1");
    const cut = names.find((name) => name.startsWith(long.slice(0, 25)))!;
    expect(cut).toMatch(/^listEveryThingThatTheMuse-[0-9a-f]{6}$/);
    expect(names).not.toContain("default");
  });
});
