/**
 * @module
 * forward: proxies the request to an upstream URL and streams the answer back
 * unchanged. Hop-by-hop headers are dropped both ways; X-Forwarded-* come from
 * the real connection, never from the caller; redirects are passed through.
 */
import type { FromSchema } from "json-schema-to-ts";
import { defineBuiltin } from "../../runtime/builtin.ts";
import { declaredLength } from "../../runtime/body-limit.ts";
import { ClientGoneError, guardedUpload } from "../../runtime/client-body.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import { withoutHopByHop } from "../../runtime/headers.ts";
import { telemetryOf } from "../../runtime/telemetry/request-telemetry.ts";
import { traceparent } from "../../runtime/telemetry/trace-context.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { fillParams, withCallerQuery } from "../../runtime/templates.ts";
import type { options } from "./options.ts";

/** The target URL: the filled template plus the caller's query, byte for byte and in order. */
export function targetUrl(template: string, params: Readonly<Record<string, string>>, request: Request): string {
  return withCallerQuery(fillParams(template, params), request);
}

function upstreamHeaders(request: Request): Headers {
  const headers = withoutHopByHop(request.headers);
  const incoming = new URL(request.url);
  headers.delete("host");
  // The caller's own forwarding claims are never passed on (RFC 7239 Forwarded too).
  for (const claim of ["x-forwarded-for", "forwarded", "x-real-ip", "true-client-ip"]) headers.delete(claim);
  // Set by the Workers runtime from the TCP connection; a client cannot forge it at the edge.
  const client = request.headers.get("cf-connecting-ip");
  if (client) headers.set("x-forwarded-for", client);
  headers.set("x-forwarded-proto", incoming.protocol.replace(":", ""));
  headers.set("x-forwarded-host", incoming.host);
  return headers;
}

/** The options as the build leaves them: `url` is always set (from x-portico.upstream when not given). */
type ForwardOptions = FromSchema<typeof options> & { url: string };

export const forward = defineBuiltin<ForwardOptions>({
  create({ options: { url, timeout } }) {
    return { handle: (request, ctx) => forwardRequest(request, ctx, url, timeout) };
  },
});

/**
 * The body as it goes upstream, watched for its client leaving: a known length
 * stays declared (a FixedLengthStream sends Content-Length), and an upload the
 * client abandons is never ended as if complete (see guardedUpload).
 */
function uploadOf(request: Request, onLost: (error: unknown) => void): ReadableStream<Uint8Array> | null {
  if (request.method === "GET" || request.method === "HEAD" || request.body === null) return null;
  const length = request.headers.has("transfer-encoding") ? undefined : declaredLength(request);
  if (length === 0) return request.body;
  const guarded = guardedUpload(request.body, onLost);
  if (length === undefined) return guarded;
  const fixed = new FixedLengthStream(length);
  guarded.pipeTo(fixed.writable).catch(() => {}); // its failures are the fetch's to report
  return fixed.readable;
}

async function forwardRequest(request: Request, ctx: GatewayContext, url: string, timeout: number): Promise<Response> {
  const target = targetUrl(url, ctx.params, request);
  // One signal ends the fetch for either reason: the timer covers the wait for the
  // response headers only, so a long streamed body is not cut off.
  const abort = new AbortController();
  let clientGone: unknown;
  const body = uploadOf(request, (error) => {
    clientGone = error;
    abort.abort();
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, timeout);
  const headers = upstreamHeaders(request);
  const send = (spanId: string | undefined) => {
    // The upstream's work is a child of the gateway's: of its span for this call when one is recorded.
    headers.set("traceparent", traceparent(ctx.trace.traceId, spanId ?? ctx.trace.spanId, ctx.trace.sampled));
    return fetch(target, { method: request.method, headers, body, redirect: "manual", signal: abort.signal });
  };
  const telemetry = telemetryOf(ctx);
  const started = Date.now();
  let upstream: Response;
  try {
    const called = { "http.request.method": request.method, "server.address": new URL(target).host };
    upstream = await (telemetry ? telemetry.step("upstream", "client", called, send) : send(undefined));
  } catch (error) {
    if (clientGone !== undefined) throw new ClientGoneError(clientGone);
    ctx.log.warn(timedOut ? "upstream timed out" : "upstream unreachable", {
      upstream: new URL(target).origin,
      timeout,
      error: String(error),
    });
    if (timedOut) {
      throw new GatewayError(PROBLEM.gatewayTimeout, `The upstream did not answer within ${timeout} ms.`);
    }
    throw new GatewayError(PROBLEM.badGateway, "The upstream could not be reached.");
  } finally {
    clearTimeout(timer);
    if (telemetry) telemetry.upstreamMs = Date.now() - started;
  }
  return new Response(upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: withoutHopByHop(upstream.headers),
  });
}
