import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { appInstances, BUILD_TESTS, runBuildContract } from "../../compiler/builtin.case.ts";
import { compile } from "../../compiler/compile.ts";
import { spec, tempProject } from "../../../test/support/temp-project.ts";

const main = { name: "main", api: "openai", key: "${env.LLM_MAIN_KEY}" };

runBuildContract("llm", {
  skip: [
    {
      reason: "llm serves POST operations with a JSON body, and the contract's operations are GETs without one (built below instead)",
      tests: [BUILD_TESTS.valid, BUILD_TESTS.defaults, BUILD_TESTS.hooks],
    },
  ],
  invalid: [
    {},
    { providers: [] },
    { providers: [{ name: "main" }] },
    { providers: [{ ...main, api: "gemini" }] },
    { providers: [{ ...main, key: "sk-live-written-in-the-document" }] },
    { providers: [{ ...main, name: "has space" }] },
    { providers: [main], fallbackOn: [200] },
    { providers: [main], fallbackOn: ["network"] },
    { providers: [main], timeout: 0 },
    { providers: [main], endpoint: "completions" },
  ],
});

const JSON_BODY = "requestBody: { required: true, content: { application/json: { schema: { type: object } } } }";

/** One operation served by llm with these options; its build, checked. */
async function build(options: object, { path = "/v1/chat/completions", method = "post", body = JSON_BODY } = {}) {
  const document = spec(
    `  ${path}:
    ${method}:
      ${body}
      x-portico: { handler: { use: llm, options: ${JSON.stringify(options)} } }
      responses: { "200": { description: ok } }`,
  );
  return compile({ root: tempProject({ "openapi/openapi.yaml": document }) });
}

const messages = (result: Awaited<ReturnType<typeof build>>) => result.errors.map((error) => `${error.location.pointer}: ${error.message}\n${error.hint}`);

describe("llm at build", () => {
  it("builds on a POST with a JSON body, with defaults filled in and the endpoint told by the path", async () => {
    for (const [path, endpoint] of [
      ["/v1/chat/completions", "chat"],
      ["/openai/v1/embeddings", "embeddings"],
      ["/v1/responses", "responses"],
    ]) {
      const result = await build({ providers: [main] }, { path });
      expect(messages(result)).toEqual([]);
      const [instance] = appInstances(result.appFile!).filter((found) => found.name === "llm");
      expect(instance.options).toEqual({
        providers: [{ ...main, maxTokens: 4096 }],
        fallbackOn: [429, 500, 502, 503, 504, "timeout"],
        timeout: 30000,
        endpoint,
      });
      // The key stays a reference to the secret in the generated app.
      expect(readFileSync(result.appFile!, "utf8")).toContain('key: "${env.LLM_MAIN_KEY}"');
    }
  });

  it("refuses an operation it could never answer, saying what to add", async () => {
    expect(messages(await build({ providers: [main] }, { method: "get", body: "" })).join()).toMatch(/answers POST requests.*this operation is GET/);
    expect(messages(await build({ providers: [main] }, { body: "" })).join()).toMatch(
      /^\/paths\/~1v1~1chat~1completions\/post: "llm" reads a JSON body, which POST \/v1\/chat\/completions does not declare.*\nAdd to the operation: requestBody/s,
    );
    expect(messages(await build({ providers: [main] }, { path: "/complete" })).join()).toMatch(/cannot tell what \/complete serves.*\nAdd endpoint: chat/s);
    expect(messages(await build({ providers: [main], endpoint: "chat" }, { path: "/complete" }))).toEqual([]);
  });

  it("refuses embeddings without an OpenAI-style provider, two providers of one name, and a url that cannot be fetched", async () => {
    const backup = { name: "backup", api: "anthropic" };
    expect(messages(await build({ providers: [backup] }, { path: "/v1/embeddings" })).join()).toMatch(/only providers with api: openai answer/);
    expect(messages(await build({ providers: [main, { ...backup, name: "main" }] })).join()).toMatch(/Two providers of "llm" are named main/);
    expect(messages(await build({ providers: [{ ...main, url: "api.openai.com/v1" }] }))).toEqual([
      expect.stringMatching(
        /^\/paths\/~1v1~1chat~1completions\/post\/x-portico\/handler\/options\/providers\/0\/url: The url "api.openai.com\/v1" of provider main has no scheme/,
      ),
    ]);
  });
});
