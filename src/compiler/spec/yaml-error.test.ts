import { describe, expect, it } from "vitest";
import { tempProject } from "../../../test/support/temp-project.ts";
import { compile } from "../compile.ts";

/** The one error of a document, as `portico check` reports it. */
async function errorOf(document: string) {
  const { errors } = await compile({ root: tempProject({ "openapi/openapi.yaml": document }), check: true });
  expect(errors).toHaveLength(1);
  return errors[0];
}

const head = "openapi: 3.1.0\ninfo:\n";

describe("a YAML mistake is reported where it is, with a code frame", () => {
  it.each([
    ["a key indented too little", `${head}  title: Test\n version: "1"\npaths: {}\n`, 4, 2, /All mapping items must start at the same column/],
    ["a key indented too deep", `${head}  title: Test\n   version: "1"\npaths: {}\n`, 4, 4, /indented deeper than the line above it/],
    ["a tab as indentation", `${head}  title: Test\n\tversion: "1"\npaths: {}\n`, 4, 1, /Tabs are not allowed as indentation/],
    ["a quote never closed: its opening quote", `${head}  title: "Test\n  version: 1\npaths: {}\n`, 3, 10, /Missing closing "quote/],
    ["a flow map never closed: where its } goes", `openapi: 3.1.0\ninfo: { title: Test, version: "1"\npaths: {}\n`, 2, 34, /end with a \}/],
    ["a flow sequence never closed", `${head}  title: Test\n  version: "1"\ntags: [a, b\npaths: {}\n`, 5, 12, /end with a \]/],
    ["a key written twice: the second", `${head}  title: Test\n  version: "1"\n  title: Again\npaths: {}\n`, 5, 3, /Map keys must be unique/],
  ])("%s", async (_, document, line, column, message) => {
    const error = await errorOf(document);
    expect(error.message).toMatch(/^YAML syntax error: /);
    expect(error.message).toMatch(message);
    expect(error.location).toMatchObject({ file: "openapi/openapi.yaml", line, column });
    expect(error.where).toBe(`openapi/openapi.yaml:${line}:${column}`);
    const marked = error.frame!.split("\n").findIndex((row) => row.startsWith(">"));
    expect(error.frame!.split("\n")[marked]).toBe(`> ${line} | ${document.split("\n")[line - 1]}`);
    expect(error.frame!.split("\n")[marked + 1].indexOf("^")).toBe("    | ".length + column - 1);
  });

  it("the printed error carries the frame between where and how to fix", async () => {
    const error = await errorOf(`${head}  title: Test\n version: "1"\npaths: {}\n`);
    expect(error.format()).toBe(
      [
        "✘ ERROR: YAML syntax error: All mapping items must start at the same column",
        "  at openapi/openapi.yaml:4:2",
        "    3 |   title: Test",
        '  > 4 |  version: "1"',
        "      |  ^",
        "    5 | paths: {}",
        "  fix: Fix the YAML at that line: check indentation, quoting and that each key appears once.",
      ].join("\n"),
    );
  });
});

describe("a JSON mistake too", () => {
  it("a missing comma: after the value it should follow, not at the next key", async () => {
    const document = '{\n  "openapi": "3.1.0",\n  "info": { "title": "T", "version": "1" }\n  "paths": {}\n}\n';
    const { errors } = await compile({ root: tempProject({ "openapi/openapi.json": document }), check: true });
    expect(errors.map((e) => [e.where, e.message])).toEqual([["openapi/openapi.json:3:43", "JSON syntax error: Expected ',' or '}' after property value"]]);
    expect(errors[0].frame?.split("\n")[1]).toBe('> 3 |   "info": { "title": "T", "version": "1" }');
  });
});
