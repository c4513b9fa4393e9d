/**
 * @module
 * One attempt of forward's: the request sent to one target, ended by the
 * deadline or by the client going away (its connection closed, or its upload
 * broken off: a cut-off upload never reaches the upstream as a whole one).
 */
import { declaredLength } from "../../runtime/body-limit.ts";
import { ClientGoneError, guardedUpload } from "../../runtime/client-body.ts";
import { telemetryOf } from "../../runtime/telemetry/request-telemetry.ts";
import { traceparent } from "../../runtime/telemetry/trace-context.ts";
import { fillParams, withCallerQuery } from "../../runtime/templates.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import type { Target } from "./group.ts";

/** The target URL: the filled template plus the caller's query, byte for byte and in order. */
export function targetUrl(template: string, params: Readonly<Record<string, string>>, request: Request): string {
  return withCallerQuery(fillParams(template, params), request);
}

/**
 * The client's side of one request: whether it left (its connection closed,
 * or its upload broke off), and the attempt to abort when it does.
 */
export class Client {
  gone: unknown;
  current?: AbortController;
  readonly signal: AbortSignal;
  constructor(signal: AbortSignal) {
    this.signal = signal;
  }
  /** The client left: `reason` is why (the upload's error, or the signal's reason). */
  leave = (reason: unknown) => {
    this.gone ??= reason ?? new Error("The client left.");
    this.current?.abort();
  };
  /** request.signal's listener: its event says nothing, its reason does. */
  aborted = () => this.leave(this.signal.reason);
}

/**
 * The body as it goes upstream, watched for its client leaving: a known length
 * stays declared (a FixedLengthStream sends Content-Length), and an upload the
 * client abandons is never ended as if complete (see guardedUpload).
 */
export function uploadOf(request: Request, client: Client): ReadableStream<Uint8Array> | null {
  if (request.method === "GET" || request.method === "HEAD" || request.body === null) return null;
  const length = request.headers.has("transfer-encoding") ? undefined : declaredLength(request);
  if (length === 0) return request.body;
  const guarded = guardedUpload(request.body, client.leave);
  if (length === undefined) return guarded;
  const fixed = new FixedLengthStream(length);
  guarded.pipeTo(fixed.writable).catch(() => {}); // its failures are the fetch's to report
  return fixed.readable;
}

export type Outcome = { response: Response; error?: undefined } | { error: "timeout" | "network"; cause: unknown; response?: undefined };

/** One request to one target, ended by the deadline or by the client leaving (then it throws ClientGoneError). */
export async function send(request: Request, ctx: GatewayContext, target: Target, headers: Headers, body: BodyInit | null, deadline: number, client: Client) {
  const url = target.service
    ? withCallerQuery(new URL(request.url).origin + fillParams(target.url, ctx.params), request)
    : targetUrl(target.url, ctx.params, request);
  // One signal ends the fetch for either reason: the timer covers the wait for the
  // response headers only, so a long streamed body is not cut off.
  const abort = (client.current = new AbortController());
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      abort.abort();
    },
    Math.max(0, deadline - Date.now()),
  );
  const call = (spanId: string | undefined) => {
    // The upstream's work is a child of the gateway's: of its span for this call when one is recorded.
    headers.set("traceparent", traceparent(ctx.trace.traceId, spanId ?? ctx.trace.spanId, ctx.trace.sampled));
    const init: RequestInit = { method: request.method, headers, body, redirect: "manual", signal: abort.signal };
    return target.service ? target.service.fetch(url, init) : fetch(url, init);
  };
  const telemetry = telemetryOf(ctx);
  const started = Date.now();
  try {
    const called = { "http.request.method": request.method, "server.address": target.address };
    return { response: await (telemetry ? telemetry.step("upstream", "client", called, call) : call(undefined)) } satisfies Outcome;
  } catch (cause) {
    if (client.gone !== undefined) throw new ClientGoneError(client.gone);
    return { error: timedOut ? "timeout" : "network", cause } satisfies Outcome;
  } finally {
    clearTimeout(timer);
    client.current = undefined;
    if (telemetry) telemetry.upstreamMs = (telemetry.upstreamMs ?? 0) + Date.now() - started;
  }
}
