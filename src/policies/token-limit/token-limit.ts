/**
 * @module
 * token-limit: LLM tokens per window per consumer (or address, or all). The
 * prompt's estimate is reserved in the key's TokenCounter before the request
 * goes on, so a caller whose budget cannot hold it is refused with 429 before
 * any provider is paid; the llm handler's count of the answer then settles the
 * difference (a stream's at its last event). Every counted response carries
 * the IETF RateLimit headers, their unit named by `qu="tokens"`.
 */
import { askCounter, durableStub } from "../../runtime/ask-counter.ts";
import { defineBuiltin } from "../../runtime/builtin.ts";
import { addressKey, clientAddress } from "../../runtime/client-address.ts";
import { addResponseHeader } from "../../runtime/context.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import { measured } from "../../runtime/telemetry/request-telemetry.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { onTokenUsage } from "../../handlers/llm/usage.ts";
import { estimatePromptTokens } from "./estimate.ts";
import type { TokenLimitOptions, TokenLimitPrepared } from "./options.ts";
import type { TokenCounter, TokenDecision } from "./token-counter.ts";

type Settings = TokenLimitOptions & TokenLimitPrepared;

interface Budget {
  key: string;
  tokens: number;
  window: number;
}

export const tokenLimit = defineBuiltin<TokenLimitOptions, TokenLimitPrepared>({
  create({ options, prepared }) {
    // Its own copy (tiers included): what a request reads was settled at set-up.
    const settings: Settings = { ...structuredClone(options), ...prepared };
    return { inbound: (request, ctx) => limit(request, ctx, settings) };
  },
});

function budgetOf(request: Request, ctx: GatewayContext, settings: Settings): Budget {
  const window = settings.window ?? 3600;
  const tier = (name: string) => {
    const found = Object.hasOwn(settings.tiers ?? {}, name) ? settings.tiers![name] : undefined;
    return found ? { tokens: found.tokens, window: found.window ?? window } : { tokens: settings.tokens, window };
  };
  const ip = `ip:${addressKey(clientAddress(request))}`;
  if (settings.by === "all") return { key: "all", tokens: settings.tokens, window };
  if (settings.by === "consumer" && ctx.consumer) return { key: `consumer:${ctx.consumer.id}`, ...tier(ctx.consumer.tier ?? "") };
  return { key: ip, ...tier(ctx.consumer ? (ctx.consumer.tier ?? "") : "anonymous") };
}

async function estimateOf(request: Request): Promise<number> {
  try {
    return estimatePromptTokens(await request.clone().json());
  } catch {
    // Not JSON: the handler refuses it, and nothing is paid.
    return 0;
  }
}

const unavailable = () => new GatewayError(PROBLEM.serviceUnavailable, "The token counter cannot answer right now. Retry shortly.", { "retry-after": "1" });

async function limit(request: Request, ctx: GatewayContext, settings: Settings): Promise<Request> {
  const budget = budgetOf(request, ctx, settings);
  const estimate = await estimateOf(request);
  const counter = () => durableStub<TokenCounter>(ctx.env, settings.binding ?? "TOKEN_LIMIT", `${settings.instance}\u0000${budget.key}`);
  const label = settings.name;
  addResponseHeader(ctx, "ratelimit-policy", `"${label}";q=${budget.tokens};w=${budget.window};qu="tokens"`);
  const decision = await askCounter(
    (ask) => measured(ctx, `${label} counter`, "client", () => counter().reserve(budget.tokens, budget.window, estimate, ask)),
    ctx,
    "token counter",
  );
  if (!decision) {
    if (settings.failMode === "open") return request;
    throw unavailable();
  }
  addResponseHeader(ctx, "ratelimit", `"${label}";r=${decision.remaining};t=${decision.reset}`);
  if (!decision.allowed) refuse(decision, estimate, budget);
  onTokenUsage(ctx, (usage) => {
    // Unknown (a stream cut off): the estimate stays charged.
    if (usage === undefined || usage.total === estimate) return;
    const settled = askCounter((ask) => counter().settle(budget.tokens, budget.window, usage.total - estimate, ask), ctx, "token counter");
    ctx.waitUntil(settled);
    return settled;
  });
  return request;
}

function refuse(decision: TokenDecision, estimate: number, budget: Budget): never {
  if (decision.retryAfter === undefined) {
    throw new GatewayError(
      PROBLEM.tooManyRequests,
      `The prompt needs about ${estimate} tokens, more than the whole budget of ${budget.tokens} tokens per ${budget.window} s.`,
      { "retry-after": String(budget.window) },
    );
  }
  throw new GatewayError(
    PROBLEM.tooManyRequests,
    `The token budget of ${budget.tokens} per ${budget.window} s has ${decision.remaining} left; the prompt needs about ${estimate}. Retry in ${decision.retryAfter} s.`,
    { "retry-after": String(decision.retryAfter) },
  );
}
