/**
 * @module
 * llm: an OpenAI-compatible chat-completions (or Responses, or embeddings) endpoint in front
 * of providers speaking the OpenAI or the Anthropic API. The providers are
 * tried in order: the next one gets the request when one answers a status of
 * `fallbackOn`, times out before its first byte, or cannot be reached; never
 * once the caller has received a byte. The answer names its provider in
 * `x-portico-llm-provider`; provider keys stay in the gateway's secrets.
 * The tokens an answer cost are reported to the request's policies (usage.ts).
 */
import { defineBuiltin } from "../../runtime/builtin.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import type { Endpoint, LlmOptions } from "./options.ts";
import { callProvider, providerOf, type Outcome, type Provider } from "./provider-call.ts";
import { expectTokenUsage, NO_TOKENS, reportTokenUsage } from "./usage.ts";

interface Settings {
  endpoint: Endpoint;
  providers: Provider[];
  fallbackOn: ReadonlySet<number | string>;
  timeout: number;
}

export const llm = defineBuiltin<LlmOptions>({
  create({ options }) {
    const endpoint = options.endpoint ?? "chat";
    const settings: Settings = {
      endpoint,
      // Anthropic has no embeddings: those providers are passed over there (the build says so).
      providers: options.providers.filter((provider) => endpoint !== "embeddings" || provider.api === "openai").map(providerOf),
      fallbackOn: new Set(options.fallbackOn ?? []),
      timeout: options.timeout ?? 30_000,
    };
    return { handle: (request, ctx) => answer(request, ctx, settings) };
  },
});

/** The caller's body, as OpenAI's API takes it; a 400 problem otherwise. */
async function bodyOf(request: Request, endpoint: Endpoint): Promise<any> {
  let body: any;
  try {
    body = await request.json();
  } catch {
    body = undefined;
  }
  const shaped = body !== null && typeof body === "object" && !Array.isArray(body);
  if (endpoint === "chat" && !(shaped && Array.isArray(body.messages) && body.messages.length > 0)) {
    throw new GatewayError(PROBLEM.badRequest, "The body must be a JSON object with a non-empty `messages` array, as OpenAI's chat completions take.");
  }
  if (endpoint === "responses" && !(shaped && (typeof body.input === "string" || (Array.isArray(body.input) && body.input.length > 0)))) {
    throw new GatewayError(
      PROBLEM.badRequest,
      "The body must be a JSON object with an `input`, a string or a non-empty array of items, as OpenAI's Responses API takes.",
    );
  }
  if (endpoint === "embeddings" && !(shaped && body.input !== undefined)) {
    throw new GatewayError(PROBLEM.badRequest, "The body must be a JSON object with an `input`, as OpenAI's embeddings take.");
  }
  return body;
}

const fallsBack = (outcome: Outcome, settings: Settings) =>
  outcome.failure !== undefined && (outcome.failure === "unreachable" || settings.fallbackOn.has(outcome.failure));

async function answer(request: Request, ctx: GatewayContext, settings: Settings): Promise<Response> {
  let last: Outcome | undefined;
  expectTokenUsage(ctx);
  try {
    const body = await bodyOf(request, settings.endpoint);
    const call = { endpoint: settings.endpoint, body, stream: settings.endpoint !== "embeddings" && body.stream === true, timeout: settings.timeout };
    for (const provider of settings.providers) {
      last = await callProvider(provider, call, request, ctx);
      if (last.failure === undefined) return last.response;
      ctx.log.warn("llm provider failed", { provider: provider.name, after: last.failure });
      if (!fallsBack(last, settings)) break;
    }
  } finally {
    // No provider answered: none was paid (a later report of an answer's count is ignored).
    if (last?.failure !== undefined || last === undefined) await reportTokenUsage(ctx, NO_TOKENS);
  }
  if (last?.response) return last.response;
  if (last?.failure === "timeout") throw new GatewayError(PROBLEM.gatewayTimeout, `No provider answered within ${settings.timeout} ms.`);
  throw new GatewayError(PROBLEM.badGateway, "No provider could be reached.");
}
