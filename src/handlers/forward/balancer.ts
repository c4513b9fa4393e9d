/**
 * @module
 * Which target of an upstream group a request goes to: the canary when the
 * request asks for it, else the caller's sticky target, else one drawn by
 * weight. Pure functions of the request and a number in [0, 1), so a test can
 * give the draws; the group (group.ts) skips targets whose breaker is open.
 */

/**
 * The target whose share of the total weight `point` (in [0, 1)) falls in,
 * counting only the targets `eligible` lets through; -1 when they weigh nothing.
 */
export function byWeight(weights: readonly number[], point: number, eligible?: (index: number) => boolean): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) if (!eligible || eligible(i)) total += weights[i];
  if (total <= 0) return -1;
  let rest = point * total;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i] <= 0 || (eligible && !eligible(i))) continue;
    if (rest < weights[i]) return i;
    rest -= weights[i];
    last = i;
  }
  return last; // rounding at the very top of the range
}

/** A number in [0, 1) from a text, the same for the same text: FNV-1a, then MurmurHash3's finaliser so neighbouring ids spread. */
export function unitHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return ((hash ^ (hash >>> 16)) >>> 0) / 2 ** 32;
}

/** One cookie's value from a Cookie header, or undefined. */
export function cookieValue(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/** A header or cookie that pins the canary: "1" or "true"; any other value is ignored. */
const pins = (value: string | null | undefined) => value != null && /^\s*(1|true)\s*$/i.test(value);

export interface Balancing {
  weights: readonly number[];
  canary?: { header?: string; cookie?: string; target: number };
  sticky?: "consumer" | "cookie";
  /** The cookie that keeps a caller on its target, with `sticky: cookie`. */
  cookie: string;
}

/** The target a request would go to with every target healthy, and the point that drew it. */
export interface Preference {
  index: number;
  /** In [0, 1): where the request falls among the weights, kept to fall back the same way. */
  point: number;
  /** The sticky cookie's target as the request sent it (undefined without one). */
  cookieTarget?: number;
}

/** Where the request goes when every target is healthy: canary pin, then sticky target, then a draw by weight. */
export function prefer(balancing: Balancing, request: Request, consumerId: string | undefined, random: () => number): Preference {
  const { weights, canary, sticky } = balancing;
  if (
    canary &&
    (pins(canary.header && request.headers.get(canary.header)) || pins(canary.cookie && cookieValue(request.headers.get("cookie"), canary.cookie)))
  ) {
    return { index: canary.target, point: random() };
  }
  if (sticky === "consumer" && consumerId !== undefined) {
    const point = unitHash(consumerId);
    return { index: byWeight(weights, point), point };
  }
  const point = random();
  if (sticky === "cookie") {
    const sent = cookieValue(request.headers.get("cookie"), balancing.cookie);
    const index = sent !== undefined && /^\d{1,3}$/.test(sent) ? Number(sent) : -1;
    // A target of weight 0 is the canary's alone: a cookie a client writes by hand cannot reach it.
    if (index >= 0 && weights[index] > 0) return { index, point, cookieTarget: index };
  }
  return { index: byWeight(weights, point), point };
}
