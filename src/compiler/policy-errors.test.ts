import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../test/support/temp-project.ts";
import { compile } from "./compile.ts";
import { typecheckPolicies } from "./typecheck.ts";

/** A policy whose options declare `greeting`; `body` is its inbound hook's code. */
const greeting = (body: string) => `import { definePolicy } from "portico";

export default definePolicy({
  options: {
    type: "object",
    properties: { greeting: { type: "string", default: "hello" } },
    additionalProperties: false,
  },
  inbound(request, _ctx, options) {
    const headers = new Headers(request.headers);
${body}
    return new Request(request, { headers });
  },
});
`;

/** Three operations that use the module: by name, inline, and by its path. */
const usedThrice = spec(
  ["a", "b", "c"]
    .map(
      (name, i) => `  /${name}:
    get:
      x-portico: { handler: mock, inbound: [${["greet", "{ use: ./policies/greeting.ts, options: { greeting: hi } }", "./policies/greeting.ts"][i]}] }
      responses: { "200": { description: ok } }`,
    )
    .join("\n"),
  "x-portico:\n  policies:\n    greet: { use: ./policies/greeting.ts }",
);

const check = (files: Record<string, string>, typecheck = false) => compile({ root: tempProject(files), check: true, typecheck });

describe("an error in a policy's code points at the policy", () => {
  it("a syntax error: once, at policies/<file>:line:column, with a frame and a hint naming real things", async () => {
    const { errors } = await check({
      "openapi/openapi.yaml": usedThrice,
      "policies/greeting.ts": greeting('    headers.set("x-greeting", String(options.greeting);'),
    });
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error.message).toBe('Expected ")" but found ";"');
    expect(error.location).toEqual({ file: "policies/greeting.ts", pointer: "", line: 11, column: 55 });
    expect(error.where).toBe("policies/greeting.ts:11:55");
    expect(error.frame).toBe(
      [
        "  10 |     const headers = new Headers(request.headers);",
        '> 11 |     headers.set("x-greeting", String(options.greeting);',
        "     |                                                       ^",
        "  12 |     return new Request(request, { headers });",
      ].join("\n"),
    );
    expect(error.hint).toContain("docs/policies.md");
    expect(error.hint).toContain("`npx portico check`");
  });

  it("with the type check too, the syntax error is told once", async () => {
    const files = { "openapi/openapi.yaml": usedThrice, "policies/greeting.ts": greeting('    headers.set("x-greeting", String(options.greeting);') };
    expect((await check(files, true)).errors.map((e) => e.where)).toEqual(["policies/greeting.ts:11:55"]);
  });

  it("an import that does not resolve: at the import, in the module that has it", async () => {
    const { errors } = await check({
      "openapi/openapi.yaml": usedThrice,
      "policies/greeting.ts": `import { definePolicy } from "portico";\nimport { words } from "./lib/wrods.ts";\nexport default definePolicy({ inbound: (r) => (words ? r : r) });\n`,
    });
    expect(errors.map((e) => [e.where, e.message])).toEqual([["policies/greeting.ts:2:23", 'Could not resolve "./lib/wrods.ts"']]);
  });

  it("a default export not made by definePolicy: once, at the module", async () => {
    const { errors } = await check({ "openapi/openapi.yaml": usedThrice, "policies/greeting.ts": "export default { inbound: (r: Request) => r };\n" });
    expect(errors.map((e) => [e.where, e.message])).toEqual([
      ["policies/greeting.ts", 'Its default export is not made by definePolicy or defineHandler from "portico".'],
    ]);
    expect(errors[0].hint).toContain("docs/policies.md");
  });

  it("a module that does not exist is the reference's mistake: at each reference", async () => {
    const { errors } = await check({ "openapi/openapi.yaml": usedThrice });
    expect(errors.map((e) => e.location.file)).toEqual(["openapi/openapi.yaml", "openapi/openapi.yaml", "openapi/openapi.yaml"]);
  });
});

describe("the type check of policies/", () => {
  const typo = { "openapi/openapi.yaml": usedThrice, "policies/greeting.ts": greeting('    headers.set("x-greeting", String(options.greting));') };

  it("finds an option misspelt against the options schema, at its place, with the TypeScript message and a frame", async () => {
    const { errors } = await check(typo, true);
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error.message).toBe("Property 'greting' does not exist on type '{ greeting: string; }'. Did you mean 'greeting'? (TS2551)");
    expect(error.where).toBe("policies/greeting.ts:11:46");
    expect(error.frame?.split("\n")[1]).toBe('> 11 |     headers.set("x-greeting", String(options.greting));');
    expect(error.frame?.split("\n")[2]).toBe(`     | ${" ".repeat(45)}^`);
    expect(error.hint).toContain("docs/policies.md");
  });

  it("is not run unless asked (the CLI asks)", async () => {
    expect((await check(typo)).errors).toEqual([]);
  });

  it("checks every module in policies/, used or not, and leaves their tests out", async () => {
    const errors = await typecheckPolicies(
      tempProject({
        "policies/unused.ts": "const n: number = 'one';\nexport default n;\n",
        "policies/unused.test.ts": "const s: string = 1;\n",
      }),
    );
    expect(errors.map((e) => [e.where, e.message])).toEqual([["policies/unused.ts:1:7", "Type 'string' is not assignable to type 'number'. (TS2322)"]]);
  });

  it("keeps the lines of a chained message, the code after the first", async () => {
    const code = "function f(x: { a: { b: number } }) {\n  return x;\n}\nconst v = { a: { b: 'x' } };\nexport default f(v);\n";
    const [error] = await typecheckPolicies(tempProject({ "policies/nested.ts": code }));
    expect(error.where).toBe("policies/nested.ts:5:18");
    expect(error.message).toBe(
      [
        "Argument of type '{ a: { b: string; }; }' is not assignable to parameter of type '{ a: { b: number; }; }'. (TS2345)",
        "  The types of 'a.b' are incompatible between these types.",
        "    Type 'string' is not assignable to type 'number'.",
      ].join("\n"),
    );
  });

  it("costs nothing without policies/ or without a module in it", async () => {
    expect(await typecheckPolicies(tempProject({ "openapi/openapi.yaml": usedThrice }))).toEqual([]);
    expect(await typecheckPolicies(tempProject({ "policies/README.md": "none yet", "policies/x.test.ts": "" }))).toEqual([]);
  });

  it("passes the example's own policies", async () => {
    expect(await typecheckPolicies(new URL("../..", import.meta.url).pathname)).toEqual([]);
  });
});
