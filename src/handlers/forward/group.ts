/**
 * @module
 * What forward sends to, set up once per instance and env: one URL, or an
 * upstream group's targets (their URLs filled with the env's values, service
 * bindings looked up, circuit breakers found), and the choice of a target for
 * each attempt. A plain url has no choice to make and no breaker to ask. The
 * choice waits only on a shared breaker whose cooldown is over (who probes?).
 */
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import { MissingEnvError } from "../../runtime/templates.ts";
import type { Env } from "../../runtime/builtin.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { byWeight, prefer, type Balancing } from "./balancer.ts";
import { breakerOf, type Admission, type TargetBreaker } from "./breaker.ts";
import { sharedBreakerOf } from "./shared-breaker.ts";
import type { PreparedGroup } from "./upstreams.ts";

export interface Target {
  /** URL template; for a service binding, the operation's path, sent on the gateway's own origin. */
  url: string;
  service?: Fetcher;
  breaker?: TargetBreaker;
  /** What logs call the target: its origin, or `service:NAME`. */
  label: string;
  /** What spans call it (`server.address`): its host, or `service:NAME`. */
  address: string;
}

/** The target of one attempt: how its breaker let it through, and the sticky cookie to set when the answer comes from it. */
export interface Choice {
  target: Target;
  admission?: Admission;
  cookie?: string;
}

/** Every target the request could go to is behind an open breaker: seconds until one may be tried. */
export interface AllOpen {
  retryAfter: number;
}

export interface Plan {
  targets: Target[];
  /** Milliseconds for all attempts of a request to get their answer's headers, and the waits between them. */
  timeout: number;
  maxResponseBytes?: number;
  /** Undefined: always the one target, with no breaker. A Promise only while a shared breaker's probe is asked for. */
  choose?: (request: Request, ctx: GatewayContext) => Choice | AllOpen | Promise<Choice | AllOpen>;
  retries?: { attempts: number; backoff: { base: number; max: number }; network: boolean };
  /** Upstream statuses that fail an attempt (retries.on); network errors and timeouts always do. */
  failing: ReadonlySet<number>;
}

const NONE: ReadonlySet<number> = new Set();

/** A target's names: in logs, and (without the scheme) in spans. */
const named = (label: string) => ({ label, address: label.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "") });

/** A plain `url`: one target, no balancing, no retries, no breaker. */
export function singlePlan(url: string, timeout: number, maxResponseBytes?: number): Plan {
  return { targets: [{ url, ...named(originOf(url)) }], timeout, maxResponseBytes, failing: NONE };
}

function serviceOf(env: Env, name: string): Fetcher {
  const binding = env[name] as Fetcher | undefined;
  if (typeof binding?.fetch !== "function") throw new MissingEnvError(name);
  return binding;
}

/** A target's breaker: the isolate's own, or one shared through the group's Durable Object binding. */
function breakerFor(group: PreparedGroup, env: Env, key: string, label: string): TargetBreaker | undefined {
  const breaker = group.circuitBreaker;
  if (!breaker?.shared) return breaker && breakerOf(key, breaker);
  const { failures, window, cooldown } = breaker;
  return sharedBreakerOf(env, breaker.binding, key, label, { failures, window, cooldown });
}

/** The group's targets in this env and the choice between them. */
export function groupPlan(group: PreparedGroup, env: Env, timeout: number, maxResponseBytes = group.maxResponseBytes): Plan {
  const breaker = group.circuitBreaker;
  const targets: Target[] = group.targets.map((target) => {
    const label = target.service !== undefined ? `service:${target.service}` : originOf(target.url);
    const held = breakerFor(group, env, `${group.name}\n${target.service !== undefined ? label : target.url}`, label);
    return {
      url: target.service !== undefined ? target.path : target.url + target.path,
      ...named(label),
      ...(target.service !== undefined ? { service: serviceOf(env, target.service) } : {}),
      ...(held ? { breaker: held } : {}),
    };
  });
  const on = group.retries?.on ?? group.circuitBreaker?.on ?? [];
  const retries = group.retries && { attempts: group.retries.attempts, backoff: group.retries.backoff, network: group.retries.on.includes("network") };
  const balancing: Balancing = {
    weights: group.targets.map((target) => target.weight),
    canary: group.canary,
    sticky: group.sticky,
    cookie: `portico-upstream-${group.name}`,
  };
  const single = targets.length === 1 && !breaker;
  return {
    targets,
    timeout,
    maxResponseBytes,
    retries,
    failing: new Set(on.filter((status) => typeof status === "number")),
    choose: single ? undefined : (request, ctx) => choose(balancing, targets, request, ctx),
  };
}

/** The scheme and host of a URL template (its env values filled in), for logs. */
function originOf(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  return match ? match[0] : url;
}

/** Goes on from a value, or from the Promise of one when it is one (so a synchronous choice stays synchronous). */
const then = <T, U>(value: T | Promise<T>, next: (value: T) => U | Promise<U>): U | Promise<U> => (value instanceof Promise ? value.then(next) : next(value));

/** The preferred target when its breaker lets the request through, else another by weight among those whose breakers would. */
function choose(balancing: Balancing, targets: Target[], request: Request, ctx: GatewayContext): Choice | AllOpen | Promise<Choice | AllOpen> {
  const now = Date.now();
  const preferred = prefer(balancing, request, ctx.consumer?.id, Math.random);
  const admit = (index: number) => (targets[index].breaker ? targets[index].breaker.admit(now, ctx) : "closed");
  const allOpen = () => ({ retryAfter: Math.min(...targets.flatMap((target) => (target.breaker ? [target.breaker.retryAfter(now)] : []))) });
  const chosen = (index: number, admission: Admission): Choice => {
    if (balancing.sticky !== "cookie" || preferred.cookieTarget === index) return { target: targets[index], admission };
    const secure = request.url.startsWith("https:") ? "; Secure" : "";
    return { target: targets[index], admission, cookie: `${balancing.cookie}=${index}; Path=/; HttpOnly; SameSite=Lax${secure}` };
  };
  return then(admit(preferred.index), (admission) => {
    if (admission !== undefined) return chosen(preferred.index, admission);
    const index = byWeight(balancing.weights, preferred.point, (i) => i !== preferred.index && (targets[i].breaker?.available(now) ?? true));
    if (index < 0) return allOpen();
    return then(admit(index), (other) => (other === undefined ? allOpen() : chosen(index, other)));
  });
}

/** The 503 of a request whose every target is behind an open breaker. */
export function allOpen({ retryAfter }: AllOpen): GatewayError {
  return new GatewayError(PROBLEM.serviceUnavailable, `The upstream keeps failing, so the gateway holds requests back from it for ${retryAfter} s.`, {
    "retry-after": String(retryAfter),
  });
}
