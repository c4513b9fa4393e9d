import { describe, expect, it } from "vitest";
import { runBuildContract } from "../../compiler/builtin.case.ts";
import { compile } from "../../compiler/compile.ts";
import { spec, tempProject } from "../../../test/support/temp-project.ts";

runBuildContract("rate-limit", {
  valid: { limit: 100 },
  invalid: [
    {},
    { limit: 0 },
    { limit: 10, window: 0 },
    { limit: 10, by: "cookie" },
    { limit: 10, by: "header" },
    { limit: 10, by: "function" },
    { limit: 10, by: "function", function: "policies/key.ts" },
    { limit: 10, by: "function", function: "./policies/missing.ts" },
    { limit: 10, tiers: { free: { limit: 0 } } },
    { limit: 10, mode: "lazy" },
    { limit: 10, binding: "rate limiter" },
    { limit: 10, mode: "approximate", window: 30 },
    { limit: 10, mode: "approximate", window: 10, binding: "TEN" },
    { limit: 10, tiers: { free: { limit: 1, binding: "FREE_LIMIT" } } },
  ],
});

/** wrangler.toml lines declaring Workers Rate Limiting bindings: name → [limit, period]. */
const ratelimits = (bindings: Record<string, [number, number]>) =>
  Object.entries(bindings)
    .map(([name, [limit, period]], i) => `[[ratelimits]]\nname = "${name}"\nnamespace_id = "${1001 + i}"\nsimple = { limit = ${limit}, period = ${period} }\n`)
    .join("\n");

/** Builds a project whose named policy `shield` has these options, beside this wrangler.toml (none when undefined). */
async function build(options: Record<string, unknown>, wrangler?: string) {
  const document = spec(
    `  /things:\n    get:\n      operationId: things\n      x-portico: { handler: mock, inbound: [shield] }\n      responses: { "200": { description: ok, content: { application/json: { example: { ok: true } } } } }`,
    `x-portico:\n  policies:\n    shield: { use: rate-limit, options: ${JSON.stringify(options)} }`,
  );
  const files: Record<string, string> = { "openapi/openapi.yaml": document };
  if (wrangler !== undefined) files["wrangler.toml"] = `name = "test"\n${wrangler}`;
  const result = await compile({ root: tempProject(files), check: true });
  return { errors: result.errors, warnings: result.warnings.map((warning) => warning.message) };
}

const AT = "/x-portico/policies/shield/options";
const approximate = { mode: "approximate", limit: 5, window: 10, by: "ip", binding: "TEN_SECONDS" };

describe("rate-limit, mode approximate: the bindings in wrangler.toml", () => {
  it("builds when each binding is declared with the policy's limit and window, and asks for no Durable Object", async () => {
    const { errors, warnings } = await build(
      { ...approximate, by: "consumer", tiers: { paid: { limit: 8, binding: "PAID_TEN_SECONDS" }, trial: { limit: 5 } } },
      ratelimits({ TEN_SECONDS: [5, 10], PAID_TEN_SECONDS: [8, 10] }),
    );
    expect(errors.map((error) => error.format())).toEqual([]);
    expect(warnings.filter((message) => message.includes("Durable Object"))).toEqual([]);
  });

  it("refuses a binding wrangler.toml does not declare, at the binding option, with the lines to add", async () => {
    const { errors } = await build(approximate, ratelimits({ OTHER: [5, 10] }));
    expect(errors.map((error) => error.location.pointer)).toEqual([`${AT}/binding`]);
    expect(errors[0]!.message).toContain("TEN_SECONDS");
    expect(errors[0]!.hint).toContain('[[ratelimits]]\nname = "TEN_SECONDS"');
    expect(errors[0]!.hint).toContain("simple = { limit = 5, period = 10 }");
  });

  it("refuses a limit or a period that differs from the binding's, at that option", async () => {
    const limit = await build(approximate, ratelimits({ TEN_SECONDS: [50, 10] }));
    expect(limit.errors.map((error) => error.location.pointer)).toEqual([`${AT}/limit`]);
    expect(limit.errors[0]!.message).toContain("admits 5 per 10 s, but its binding TEN_SECONDS in wrangler.toml admits 50 per 10 s");
    const period = await build(approximate, ratelimits({ TEN_SECONDS: [5, 60] }));
    expect(period.errors.map((error) => error.location.pointer)).toEqual([`${AT}/window`]);
  });

  it("checks each tier against its own binding, or the policy's when it names none", async () => {
    const own = await build(
      { ...approximate, tiers: { paid: { limit: 8, binding: "PAID_TEN_SECONDS" } } },
      ratelimits({ TEN_SECONDS: [5, 10], PAID_TEN_SECONDS: [9, 10] }),
    );
    expect(own.errors.map((error) => error.location.pointer)).toEqual([`${AT}/tiers/paid/limit`]);
    const shared = await build({ ...approximate, tiers: { paid: { limit: 8 } } }, ratelimits({ TEN_SECONDS: [5, 10] }));
    expect(shared.errors.map((error) => error.location.pointer)).toEqual([`${AT}/tiers/paid/limit`]);
    expect(shared.errors[0]!.message).toContain('the tier "paid" admits 8 per 10 s');
  });

  it("takes only the periods a binding has (10 or 60 s), and needs a wrangler.toml", async () => {
    const period = await build({ ...approximate, window: 30 }, ratelimits({ TEN_SECONDS: [5, 10] }));
    expect(period.errors.map((error) => error.location.pointer)).toEqual([`${AT}/window`]);
    const none = await build(approximate);
    expect(none.errors.map((error) => error.location.pointer)).toEqual([`${AT}/mode`]);
    expect(none.errors[0]!.hint).toContain("[[ratelimits]]");
  });

  it("refuses a tier binding in strict or async mode, which count in the Durable Object", async () => {
    const { errors } = await build({ limit: 5, mode: "async", tiers: { paid: { limit: 8, binding: "PAID_TEN_SECONDS" } } });
    expect(errors.map((error) => error.location.pointer)).toEqual([`${AT}/tiers`]);
    expect(errors[0]!.message).toContain("only mode approximate reads");
  });
});
