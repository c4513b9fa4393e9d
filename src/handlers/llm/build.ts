import { BuildStepError, describeBuiltin, type Finding } from "../../builtin-descriptor.ts";
import { urlTemplateProblem } from "../../url-template.ts";
import { options, type Endpoint, type LlmOptions } from "./options.ts";

const DOCS = "See docs/llm.md.";

/** What the operation serves, told by its path when the options do not say. */
function endpointOf(path: string): Endpoint | undefined {
  if (/\/chat\/completions$/.test(path)) return "chat";
  if (/\/responses$/.test(path)) return "responses";
  if (/\/embeddings$/.test(path)) return "embeddings";
  return undefined;
}

export default describeBuiltin<LlmOptions>({
  name: "llm",
  kind: "handler",
  summary:
    "An OpenAI-compatible chat-completions, Responses or embeddings endpoint in front of OpenAI- and Anthropic-style providers, tried in order with fallback, streaming as the provider answers.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["handle"],
  perOperation: true,
  prepare(use, { operation }) {
    const { path, method } = operation!;
    if (method.toUpperCase() !== "POST") {
      throw new Error(`"llm" answers POST requests, as OpenAI's API takes them, and this operation is ${method.toUpperCase()}. ${DOCS}`);
    }
    // Without a JSON body declared, request validation would refuse every call with 415 before the handler.
    const declared = operation!.deref(operation!.operation.requestBody)?.content ?? {};
    if (operation!.operation["x-portico"]?.validate !== false && !Object.keys(declared).some((type) => /^application\/json\b/i.test(type))) {
      throw new BuildStepError(
        `"llm" reads a JSON body, which ${method.toUpperCase()} ${path} does not declare: request validation would refuse every call with 415.`,
        operation!.pointer,
        `Add to the operation: requestBody: { required: true, content: { application/json: { schema: { type: object } } } }. ${DOCS}`,
      );
    }
    const endpoint = use.options.endpoint ?? endpointOf(path);
    if (!endpoint) {
      throw new BuildStepError(
        `"llm" cannot tell what ${path} serves: its path ends in none of /chat/completions, /responses and /embeddings.`,
        `${use.where}/options`,
        `Add endpoint: chat, endpoint: responses or endpoint: embeddings to its options. ${DOCS}`,
      );
    }
    if (endpoint === "embeddings" && !use.options.providers.some((provider) => provider.api === "openai")) {
      throw new BuildStepError(
        `"llm" serves embeddings on ${path}, which only providers with api: openai answer (Anthropic's API has none).`,
        `${use.where}/options/providers`,
        `Add a provider with api: openai, or serve chat completions. ${DOCS}`,
      );
    }
    use.options.providers.forEach((provider, index) => {
      const problem = provider.url === undefined ? undefined : urlTemplateProblem(provider.url);
      if (problem)
        throw new BuildStepError(
          `The url "${provider.url}" of provider ${provider.name} ${problem.reason}.`,
          `${use.where}/options/providers/${index}/url`,
          problem.hint,
        );
    });
    return { options: { endpoint } };
  },
  check(use) {
    const findings: Finding[] = [];
    const names = use.options.providers.map((provider) => provider.name);
    const twice = names.find((name, index) => names.indexOf(name) !== index);
    if (twice !== undefined) {
      findings.push({
        severity: "error",
        message: `Two providers of "llm" are named ${twice}: the x-portico-llm-provider header could not tell them apart.`,
        hint: `Give each provider a name of its own. ${DOCS}`,
        pointer: `${use.where}/options/providers`,
      });
    }
    return findings;
  },
});
