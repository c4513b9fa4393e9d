/**
 * @module
 * aggregate: sends every part's request at once and answers with their JSON
 * values merged into one object, keyed by part name. A required part that
 * fails ends the request with a problem at once (the others are cancelled);
 * an optional one leaves null in its place and is listed in `_failures`.
 */
import { defineBuiltin } from "../../runtime/builtin.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import { telemetryOf } from "../../runtime/telemetry/request-telemetry.ts";
import { traceparent } from "../../runtime/telemetry/trace-context.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { fillUrl, withEnv, type RequestSegment } from "./fill.ts";
import type { AggregateOptions, AggregatePrepared, MergeFunction, PartFailure, PreparedPart } from "./options.ts";
import { callPart, type PartOutcome } from "./part.ts";

/** What authentication sets for the upstream (a caller's own copies are dropped before): passed to every part. */
const CONSUMER_HEADERS = ["x-consumer-id", "x-consumer-tier", "x-consumer-scopes"];

interface Part extends Omit<PreparedPart, "url"> {
  url: RequestSegment[];
}

interface Settings {
  parts: Part[];
  readsQuery: boolean;
  merge?: MergeFunction;
  maxPartBytes: number;
  partialStatus: number;
  cacheControl: string;
}

export const aggregate = defineBuiltin<AggregateOptions, AggregatePrepared>({
  create({ options, prepared, env }) {
    const settings: Settings = {
      parts: prepared.parts.map((part) => ({ ...part, headers: [...part.headers], url: withEnv(part.url, env) })),
      readsQuery: prepared.readsQuery,
      merge: prepared.merge,
      maxPartBytes: options.maxPartBytes ?? 1048576,
      partialStatus: options.partialStatus ?? 200,
      cacheControl: options.cacheControl ?? "no-store",
    };
    return { handle: (request, ctx) => aggregateRequest(request, ctx, settings) };
  },
});

/** The headers every part gets: who is calling, as forward tells its upstream. */
function commonHeaders(request: Request): Headers {
  const headers = new Headers({ accept: "application/json" });
  for (const name of CONSUMER_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  // Set by the Workers runtime from the TCP connection; a client cannot forge it at the edge.
  const client = request.headers.get("cf-connecting-ip");
  if (client) headers.set("x-forwarded-for", client);
  const incoming = new URL(request.url);
  headers.set("x-forwarded-proto", incoming.protocol.replace(":", ""));
  headers.set("x-forwarded-host", incoming.host);
  return headers;
}

/** Settles with every outcome, or with the first failure of a required part as soon as there is one. */
function settle(calls: Array<Promise<PartOutcome>>, parts: Part[]): Promise<PartOutcome[] | PartFailure> {
  return new Promise((resolve) => {
    calls.forEach((call, i) => void call.then((outcome) => !outcome.ok && !parts[i].optional && resolve(outcome.failure)));
    void Promise.all(calls).then(resolve);
  });
}

function noConsumer(part: Part): PartOutcome {
  return { ok: false, failure: { part: part.name, reason: "no-consumer", detail: "The request has no consumer, which the part's url names." } };
}

/** Sends every part at once (a part whose url names a missing consumer fails unsent). */
function sendParts(
  request: Request,
  ctx: GatewayContext,
  settings: Settings,
  urls: Array<string | undefined>,
  group: AbortSignal,
): Array<Promise<PartOutcome>> {
  const common = commonHeaders(request);
  const telemetry = telemetryOf(ctx);
  return settings.parts.map((part, i) => {
    const url = urls[i];
    if (url === undefined) return Promise.resolve(noConsumer(part));
    const headers = new Headers(common);
    for (const name of part.headers) {
      const value = request.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    const send = (spanId: string | undefined) => {
      // Each part's work is a child of the gateway's: of its span for this part when one is recorded.
      headers.set("traceparent", traceparent(ctx.trace.traceId, spanId ?? ctx.trace.spanId, ctx.trace.sampled));
      const { method, timeout, name } = part;
      return callPart({ name, method, url, headers, timeout, maxBytes: settings.maxPartBytes, group });
    };
    const called = { "http.request.method": part.method, "server.address": new URL(url).host };
    return telemetry ? telemetry.step(`upstream-${part.name}`, "client", called, send) : send(undefined);
  });
}

async function aggregateRequest(request: Request, ctx: GatewayContext, settings: Settings): Promise<Response> {
  const values = { params: ctx.params, query: settings.readsQuery ? new URL(request.url).searchParams : undefined, consumer: ctx.consumer };
  const urls = settings.parts.map((part) => fillUrl(part.url, values));
  const group = new AbortController();
  const started = Date.now();
  const settled = await settle(sendParts(request, ctx, settings, urls, group.signal), settings.parts);
  const telemetry = telemetryOf(ctx);
  if (telemetry) telemetry.upstreamMs = Date.now() - started;
  const outcomes = Array.isArray(settled) ? settled : [];
  const failures = Array.isArray(settled) ? outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.failure])) : [settled];
  const indexOf = (failure: PartFailure) => settings.parts.findIndex(({ name }) => name === failure.part);
  for (const failure of failures) {
    const i = indexOf(failure);
    // The origin only: the rest of the url may hold the consumer's id or the caller's query.
    const upstream = urls[i] === undefined ? undefined : new URL(urls[i]).origin;
    ctx.log.warn("aggregate part failed", { ...failure, optional: settings.parts[i].optional, upstream });
  }
  const required = failures.find((failure) => !settings.parts[indexOf(failure)].optional);
  if (required) {
    group.abort(new Error("a required part failed"));
    const kind = required.reason === "timeout" ? PROBLEM.gatewayTimeout : PROBLEM.badGateway;
    throw new GatewayError(kind, `The required part "${required.part}" failed. ${required.detail}`, undefined, { failures: [required] });
  }
  const parts: Record<string, unknown> = {};
  settings.parts.forEach((part, i) => {
    const outcome = outcomes[i];
    parts[part.name] = outcome.ok ? outcome.value : null;
  });
  const partial = failures.length > 0;
  if (!settings.merge) return json(partial ? { ...parts, _failures: failures } : parts, partial, settings);
  const merged = await settings.merge(parts, { failures, request, ctx });
  return merged instanceof Response ? merged : json(merged, partial, settings);
}

function json(body: unknown, partial: boolean, settings: Settings): Response {
  const text = JSON.stringify(body);
  if (text === undefined) throw new TypeError("The aggregate's merge module returned neither a Response nor a JSON value");
  return new Response(text, {
    status: partial ? settings.partialStatus : 200,
    // A degraded answer is never kept: the next request may get every part.
    headers: { "content-type": "application/json", "cache-control": partial ? "no-store" : settings.cacheControl },
  });
}
