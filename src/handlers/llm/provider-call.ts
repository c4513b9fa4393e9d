/**
 * @module
 * One provider's attempt at a request: the body in its API, its key in the
 * header its API reads (the caller's own headers never go), and its answer as
 * OpenAI's (chat completions or Responses, as the caller asked). The attempt fails, for the next provider to be tried, until the
 * first byte is ready for the caller: a stream's first event is read before
 * the response is handed back, so a provider that sends headers and then
 * nothing in time fails like one that never answers. After that byte the
 * stream is the caller's, and a break is reported in it.
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import { ClientGoneError } from "../../runtime/client-body.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { fromAnthropicError, fromAnthropicMessage } from "./anthropic-answer.ts";
import { toAnthropicRequest } from "./anthropic-request.ts";
import type { Endpoint, ProviderOptions } from "./options.ts";
import { chatBodyOfResponses, responseOfAnthropicMessage, responsesUsage } from "./responses.ts";
import { fromAnthropicResponsesStream, fromOpenaiResponsesStream } from "./responses-streams.ts";
import { BROKEN, fromAnthropicStream, fromOpenaiStream } from "./streams.ts";
import { NO_TOKENS, openaiUsage, reportTokenUsage } from "./usage.ts";

/** The response header naming the provider that answered. */
export const PROVIDER_HEADER = "x-portico-llm-provider";

export interface Provider {
  name: string;
  api: "openai" | "anthropic";
  base: string;
  headers: Record<string, string>;
  key?: string;
  model?: string;
  maxTokens: number;
}

const DEFAULT_BASE = { openai: "https://api.openai.com/v1", anthropic: "https://api.anthropic.com/v1" } as const;
const ANTHROPIC_VERSION = "2023-06-01";

/** A provider as its requests are sent, worked out once at set-up. */
export function providerOf(options: ProviderOptions): Provider {
  const { api, key } = options;
  const auth: Record<string, string> = !key ? {} : api === "openai" ? { authorization: `Bearer ${key}` } : { "x-api-key": key };
  const version: Record<string, string> = api === "anthropic" ? { "anthropic-version": ANTHROPIC_VERSION } : {};
  return {
    name: options.name,
    api,
    base: (options.url ?? DEFAULT_BASE[api]).replace(/\/+$/, ""),
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...version, ...auth },
    key,
    model: options.model,
    maxTokens: options.maxTokens ?? 4096,
  };
}

export type Outcome = { response: Response; failure?: undefined } | { failure: number | "timeout" | "unreachable"; response?: Response };

interface Call {
  endpoint: Endpoint;
  body: any;
  stream: boolean;
  timeout: number;
}

const OPENAI_PATH: Record<Endpoint, string> = { chat: "chat/completions", responses: "responses", embeddings: "embeddings" };

function upstreamRequest(provider: Provider, { endpoint, body, stream }: Call): { url: string; body: string } {
  const model = provider.model ?? body.model;
  if (provider.api === "anthropic") {
    const chat = endpoint === "responses" ? chatBodyOfResponses(body) : body;
    return { url: `${provider.base}/messages`, body: JSON.stringify(toAnthropicRequest(chat, model, provider.maxTokens)) };
  }
  // Responses streams carry their usage in response.completed, unasked.
  const extra = stream && endpoint === "chat" ? { stream_options: { ...body.stream_options, include_usage: true } } : {};
  return { url: `${provider.base}/${OPENAI_PATH[endpoint]}`, body: JSON.stringify({ ...body, model, ...extra }) };
}

const scrub = (text: string, key: string | undefined) => (key ? text.replaceAll(key, "[redacted]") : text);

function answerHeaders(provider: Provider, contentType: string): Headers {
  return new Headers({ "content-type": contentType, [PROVIDER_HEADER]: provider.name });
}

/** The provider's error as the caller gets it: OpenAI's shape, its key taken out; a refused key is the gateway's fault (502). */
function errorAnswer(provider: Provider, status: number, text: string, retryAfter: string | null): Response {
  let body: any;
  try {
    body = JSON.parse(scrub(text, provider.key));
  } catch {
    body = undefined;
  }
  const shaped = provider.api === "anthropic" ? fromAnthropicError(body, status) : body?.error ? body : fromAnthropicError(undefined, status);
  const refusedKey = status === 401 || status === 403;
  const answer = refusedKey
    ? { error: { message: `The provider ${provider.name} refused the gateway's credentials.`, type: "provider_auth_error", param: null, code: null } }
    : shaped;
  const headers = answerHeaders(provider, "application/json");
  if (retryAfter && status === 429) headers.set("retry-after", retryAfter);
  return new Response(JSON.stringify(answer), { status: refusedKey ? 502 : status, headers });
}

export async function callProvider(provider: Provider, call: Call, request: Request, ctx: GatewayContext): Promise<Outcome> {
  const abort = new AbortController();
  const leave = () => abort.abort();
  request.signal.addEventListener("abort", leave);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, call.timeout);
  const failed = (): Outcome => {
    if (request.signal.aborted) throw new ClientGoneError(request.signal.reason);
    return { failure: timedOut ? "timeout" : "unreachable" };
  };
  let handedOver = false;
  try {
    const { url, body } = upstreamRequest(provider, call);
    let response: Response;
    try {
      response = await fetch(url, { method: "POST", headers: provider.headers, body, signal: abort.signal });
    } catch {
      return failed();
    }
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      if (timedOut) return failed();
      return { failure: response.status, response: errorAnswer(provider, response.status, text, response.headers.get("retry-after")) };
    }
    if (call.stream) {
      const streamed = await streamAnswer(provider, response, call, ctx, abort).catch(() => undefined);
      if (!streamed) return failed();
      handedOver = true;
      return { response: streamed };
    }
    let json: any;
    let text: string;
    try {
      text = await response.text();
      json = JSON.parse(text);
    } catch {
      return failed();
    }
    if (provider.api === "anthropic") {
      const translated = call.endpoint === "responses" ? responseOfAnthropicMessage(json, call.body) : fromAnthropicMessage(json);
      await reportTokenUsage(ctx, translated.usage);
      const answer = "response" in translated ? translated.response : translated.completion;
      return { response: new Response(JSON.stringify(answer), { headers: answerHeaders(provider, "application/json") }) };
    }
    const usage = call.endpoint === "responses" ? responsesUsage(json?.usage) : openaiUsage(json?.usage);
    await reportTokenUsage(ctx, usage ?? NO_TOKENS);
    return { response: new Response(text, { headers: answerHeaders(provider, "application/json") }) };
  } finally {
    clearTimeout(timer);
    if (!handedOver) request.signal.removeEventListener("abort", leave);
  }
}

/** The caller's stream, once its first event is ready; undefined when the provider's stream ends before one. */
async function streamAnswer(provider: Provider, response: Response, call: Call, ctx: GatewayContext, abort: AbortController) {
  const wantsUsage = call.body.stream_options?.include_usage === true;
  const done = (usage: Parameters<typeof reportTokenUsage>[1]) => reportTokenUsage(ctx, usage);
  const translator =
    call.endpoint === "responses"
      ? provider.api === "anthropic"
        ? fromAnthropicResponsesStream(call.body, done)
        : fromOpenaiResponsesStream(done)
      : provider.api === "anthropic"
        ? fromAnthropicStream(wantsUsage, done)
        : fromOpenaiStream(wantsUsage, done);
  const reader = response
    .body!.pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .pipeThrough(translator)
    .pipeThrough(new TextEncoderStream())
    .getReader();
  const first = await reader.read();
  if (first.done) return undefined;
  const broken = new TextEncoder().encode(BROKEN);
  const body = new ReadableStream<Uint8Array>(
    {
      start: (controller) => controller.enqueue(first.value),
      async pull(controller) {
        try {
          const next = await reader.read();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch {
          ctx.log.warn("llm provider stream broke off", { provider: provider.name });
          void reportTokenUsage(ctx, undefined);
          controller.enqueue(broken);
          controller.close();
        }
      },
      cancel(reason) {
        void reportTokenUsage(ctx, undefined);
        abort.abort();
        return reader.cancel(reason).catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
  const headers = answerHeaders(provider, "text/event-stream; charset=utf-8");
  headers.set("cache-control", "no-cache");
  return new Response(body, { headers });
}
