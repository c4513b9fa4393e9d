/**
 * Patterns a client could make slow, as the build reports them and runs them:
 * a located warning (an error with --strict), the linear-time engine in the
 * generated validators, and a build error where that engine cannot follow.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../../test/support/temp-project.ts";
import { compile } from "../compile.ts";
import { documentPatterns } from "../validators/document-patterns.ts";

const SPEC = "openapi/openapi.yaml";

const document = (pattern: string) =>
  spec(
    `  /words/{word}:
    get:
      parameters:
        - { name: word, in: path, required: true, schema: { type: string, pattern: "${pattern}" } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { type: object, patternProperties: { "^[a-z]+$": { type: string } } }`,
    "x-portico: { handler: mock }",
  );

async function build(pattern: string, options: { strict?: boolean } = {}) {
  const root = tempProject({ [SPEC]: document(pattern) });
  const result = await compile({ root, ...options });
  const validators = result.errors.length === 0 ? readFileSync(join(root, ".portico/validators.ts"), "utf8") : "";
  const about = (list: typeof result.errors) => list.filter((finding) => /pattern/.test(finding.message));
  return { errors: about(result.errors), warnings: about(result.warnings), validators };
}

const POINTER = "/paths/~1words~1{word}/get/parameters/0/schema/pattern";

describe("patterns a client could make slow", () => {
  it("are a warning at the pattern, with its line and a hint to the docs, and run on the linear-time engine", async () => {
    const { errors, warnings, validators } = await build("^(a+)+$");
    expect(errors).toEqual([]);
    expect(warnings.map((w) => [w.severity, w.location.file, w.location.pointer, w.location.line])).toEqual([["warning", SPEC, POINTER, 8]]);
    expect(warnings[0].message).toBe(
      "This pattern can take exponential time on a string such as 'a' + 'a'.repeat(31) + '\\x00': one request could hold the gateway for seconds. It runs on a linear-time engine (RE2) instead.",
    );
    expect(warnings[0].hint).toContain("docs/validation.md#patterns");
    expect(validators).toContain('porticoLinearRegExp("^(?:a+)+$")');
    expect(validators).toMatch(/^import \{ linearRegExp as porticoLinearRegExp \} from ".*src\/runtime\/formats\/linear-reg-exp\.ts";$/m);
  });

  it("are errors with --strict", async () => {
    const { errors, warnings } = await build("^(a|a)*$", { strict: true });
    expect(warnings).toEqual([]);
    expect(errors.map((e) => [e.severity, e.location.pointer])).toEqual([["error", POINTER]]);
  });

  it("fail the build where the linear-time engine cannot run them (lookaround, backreferences)", async () => {
    const { errors } = await build("^(?=a)(a+)+$");
    expect(errors.map((e) => [e.location.pointer, e.message])).toEqual([
      [
        POINTER,
        expect.stringMatching(
          /can take exponential \(fuzz\) time .*, and the linear-time engine cannot run it: \(\?=a\): RE2 has no lookahead or lookbehind\.$/,
        ),
      ],
    ]);
  });

  it("leave ordinary patterns on the native engine, and the engine out of the generated code", async () => {
    const { errors, warnings, validators } = await build("^[a-z]{2,8}$", { strict: true });
    expect([...errors, ...warnings]).toEqual([]);
    expect(validators).toContain('("^[a-z]{2,8}$", "u")');
    expect(validators).not.toContain("linear-reg-exp");
  });
});

describe("documentPatterns", () => {
  it("finds each pattern and patternProperties key of a schema, not the names, data and extensions that look like one", () => {
    const found = documentPatterns({
      paths: {},
      "x-portico": { pattern: "^x$" },
      components: {
        schemas: {
          pattern: { type: "string", pattern: "^a$" },
          Thing: {
            properties: { pattern: { type: "string" }, code: { type: "string", pattern: "^b$", examples: [{ pattern: "^no$" }] } },
            patternProperties: { "^c-": { type: "integer" } },
            enum: [{ pattern: "^no$" }],
            default: { pattern: "^no$" },
            "x-rule": { pattern: "^no$" },
          },
        },
      },
    });
    expect(found).toEqual([
      { pattern: "^a$", pointer: "/components/schemas/pattern/pattern" },
      { pattern: "^b$", pointer: "/components/schemas/Thing/properties/code/pattern" },
      { pattern: "^c-", pointer: "/components/schemas/Thing/patternProperties/^c-" },
    ]);
  });
});
