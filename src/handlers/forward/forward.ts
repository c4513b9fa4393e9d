/**
 * @module
 * forward: proxies the request to an upstream URL, or to a target of an
 * upstream group, and streams the answer back unchanged. Hop-by-hop headers
 * are dropped both ways; X-Forwarded-* come from the real connection, never
 * from the caller; redirects are passed through. The fetch ends when the
 * client goes away. A group adds retries within the timeout and a circuit
 * breaker per target (group.ts, retry.ts, breaker.ts), optionally shared by
 * every isolate (shared-breaker.ts).
 */
import { defineBuiltin } from "../../runtime/builtin.ts";
import { ClientGoneError } from "../../runtime/client-body.ts";
import { CHECKED, type KeptContext } from "../../runtime/context.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import { withoutHopByHop } from "../../runtime/headers.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { Client, send, uploadOf, type Outcome } from "./attempt.ts";
import { allOpen, groupPlan, singlePlan, type Choice, type Plan } from "./group.ts";
import type { PreparedForwardOptions } from "./options.ts";
import { limitedBody } from "./response-limit.ts";
import { backoff, mayRepeat, replayableBody, retryAfterMs, sleep } from "./retry.ts";
import { asHandshake, isHandshake, refuseWithoutHandshake, socketAnswer } from "./websocket.ts";

export { targetUrl } from "./attempt.ts";

/** The scheme and host of an absolute URL, read from its text: a URL parse costs more per request than the header copy. */
function schemeAndHost(url: string): [scheme: string, host: string] {
  const colon = url.indexOf(":");
  const start = colon + 3; // past "://"
  const end = url.indexOf("/", start);
  const authority = url.slice(start, end < 0 ? url.length : end);
  return [url.slice(0, colon), authority.slice(authority.lastIndexOf("@") + 1)];
}

function upstreamHeaders(request: Request, ctx: KeptContext): Headers {
  // The client's own request, checked on arrival, or a built-in's copy that added none (CHECKED), has no hop-by-hop field to take out.
  const headers = request === ctx[CHECKED] ? new Headers(request.headers) : withoutHopByHop(request.headers);
  const [scheme, host] = schemeAndHost(request.url);
  headers.delete("host");
  // The caller's own forwarding claims are never passed on (RFC 7239 Forwarded too).
  for (const claim of ["x-forwarded-for", "forwarded", "x-real-ip", "true-client-ip"]) headers.delete(claim);
  // Set by the Workers runtime from the TCP connection; a client cannot forge it at the edge.
  const client = request.headers.get("cf-connecting-ip");
  if (client) headers.set("x-forwarded-for", client);
  headers.set("x-forwarded-proto", scheme);
  headers.set("x-forwarded-host", host);
  return headers;
}

export const forward = defineBuiltin<PreparedForwardOptions>({
  create({ options, env }) {
    const plan = options.group
      ? groupPlan(options.group, env, options.timeout!, options.maxResponseBytes ?? options.group.maxResponseBytes)
      : singlePlan(options.url, options.timeout!, options.maxResponseBytes);
    if (options.websocket) return { handle: (request, ctx) => (isHandshake(request) ? forwardRequest(request, ctx, plan) : refuseWithoutHandshake()) };
    return { handle: (request, ctx) => forwardRequest(request, ctx, plan) };
  },
});

/** The body to send, and how many retries it allows: one kept whole can be sent again, a stream only once. */
async function bodyFor(request: Request, plan: Plan, client: Client): Promise<{ body: BodyInit | null; retries: number }> {
  const retries = plan.retries && mayRepeat(request) ? plan.retries.attempts : 0;
  if (retries === 0 || request.method === "GET" || request.method === "HEAD") return { body: uploadOf(request, client), retries };
  const kept = await replayableBody(request);
  return kept === undefined ? { body: uploadOf(request, client), retries: 0 } : { body: kept, retries };
}

async function forwardRequest(request: Request, ctx: GatewayContext, plan: Plan): Promise<Response> {
  const deadline = Date.now() + plan.timeout;
  const client = new Client(request.signal);
  if (request.signal.aborted) throw new ClientGoneError(request.signal.reason);
  request.signal.addEventListener("abort", client.aborted);
  try {
    const headers = isHandshake(request) ? asHandshake(upstreamHeaders(request, ctx)) : upstreamHeaders(request, ctx);
    const { body, retries } = await bodyFor(request, plan, client);
    let last: { outcome: Outcome; choice: Choice } | undefined;
    for (let attempt = 0; ; attempt++) {
      const choice = plan.choose ? await plan.choose(request, ctx) : { target: plan.targets[0] };
      // A retry that finds every target held back leaves the last answer standing.
      if (!("target" in choice)) {
        if (last) return answer(last.outcome, last.choice, plan, ctx);
        throw allOpen(choice);
      }
      last?.outcome.response?.body?.cancel().catch(() => {});
      const { target } = choice;
      const { breaker } = target;
      const admission = breaker ? choice.admission : undefined;
      let outcome: Outcome;
      try {
        outcome = await send(request, ctx, target, headers, body, deadline, client);
      } catch (error) {
        if (admission) breaker!.release(admission, ctx);
        throw error;
      }
      const failed = outcome.error !== undefined || plan.failing.has(outcome.response.status);
      if (admission && breaker!.record(admission, failed, Date.now(), ctx)) {
        ctx.log.warn("circuit breaker opened", { upstream: target.label, cooldown: breaker!.settings.cooldown });
      }
      const again = failed && attempt < retries && (outcome.error === undefined || (outcome.error === "network" && plan.retries!.network));
      const wait = again ? waitBefore(attempt, outcome, plan) : 0;
      if (!again || Date.now() + wait >= deadline) return answer(outcome, choice, plan, ctx);
      last = { outcome, choice };
      ctx.log.info("retrying upstream", { upstream: target.label, attempt: attempt + 1, after: outcome.response?.status ?? outcome.error, waitMs: wait });
      await sleep(wait, client.signal);
      if (client.gone !== undefined) {
        outcome.response?.body?.cancel().catch(() => {});
        throw new ClientGoneError(client.gone);
      }
    }
  } finally {
    request.signal.removeEventListener("abort", client.aborted);
  }
}

/** Milliseconds before the next attempt: the upstream's Retry-After, else a jittered backoff. */
function waitBefore(attempt: number, outcome: Outcome, plan: Plan): number {
  const asked = retryAfterMs(outcome.response?.headers.get("retry-after") ?? null, Date.now());
  return asked ?? backoff(attempt, plan.retries!.backoff.base, plan.retries!.backoff.max, Math.random());
}

/** The client's answer from the last attempt: the upstream's, or the problem its failure makes. */
function answer(outcome: Outcome, choice: Choice, plan: Plan, ctx: GatewayContext): Response {
  const { target } = choice;
  if (outcome.error !== undefined) {
    ctx.log.warn(outcome.error === "timeout" ? "upstream timed out" : "upstream unreachable", {
      upstream: target.label,
      timeout: plan.timeout,
      error: String(outcome.cause),
    });
    if (outcome.error === "timeout") throw new GatewayError(PROBLEM.gatewayTimeout, `The upstream did not answer within ${plan.timeout} ms.`);
    throw new GatewayError(PROBLEM.badGateway, "The upstream could not be reached.");
  }
  const upstream = outcome.response;
  const socket = socketAnswer(upstream);
  if (socket) return socket;
  const headers = withoutHopByHop(upstream.headers);
  if (choice.cookie) headers.append("set-cookie", choice.cookie);
  const body = plan.maxResponseBytes === undefined ? upstream.body : limitedBody(upstream, plan.maxResponseBytes, ctx.log, target.label);
  return new Response(body, { status: upstream.status, statusText: upstream.statusText, headers });
}
