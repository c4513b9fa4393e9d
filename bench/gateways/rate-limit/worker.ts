/**
 * @module
 * The bench's Worker entry around the generated gateway: the RateLimiter it
 * binds counts the `check` and `charge` calls that reach it, and one extra path reports
 * the count, so the bench can tell how many Durable Object requests a mode
 * makes without any change to the gateway itself.
 */
import { RateLimiter as GatewayRateLimiter, type RateDecision } from "../../../src/policies/rate-limit/rate-limiter.ts";

/** Answered by this entry, never by the gateway (whose base path is /v1); bench/rate-limit.ts reads it. */
const DURABLE_REQUESTS_PATH = "/__bench/durable-object-requests";

// workerd runs a Worker's Durable Objects in the Worker's own isolate, so the
// objects and the fetch handler see this one counter. In production they would not.
let checks = 0;

export class RateLimiter extends GatewayRateLimiter {
  override check(...args: Parameters<GatewayRateLimiter["check"]>): Promise<RateDecision> {
    checks++;
    return super.check(...args);
  }

  override charge(...args: Parameters<GatewayRateLimiter["charge"]>): Promise<RateDecision> {
    checks++;
    return super.charge(...args);
  }
}

interface FetchHandler {
  fetch(request: Request, env: unknown, ctx: ExecutionContext): Response | Promise<Response>;
}

export default function countingEntry(gateway: FetchHandler): FetchHandler {
  return {
    fetch(request, env, ctx) {
      // endsWith, not a URL parse: this runs in front of every measured request.
      if (request.url.endsWith(DURABLE_REQUESTS_PATH)) return Response.json({ checks });
      return gateway.fetch(request, env, ctx);
    },
  };
}
