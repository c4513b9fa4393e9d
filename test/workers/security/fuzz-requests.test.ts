/**
 * Generated requests against the fuzz gateway (test/fixtures/gateways/fuzz), built from
 * its own document: every answer comes within 10 s; no 5xx but the 502 of its unreachable
 * upstream (and the mock's 501 for a Prefer: code= it was not given); every error the
 * gateway makes is problem+json without a stack; a refused request never reaches the
 * upstream, and none reaches it twice. Each request carries a probe id the upstream counts.
 *
 * Requests run in lanes, each its own seeded fc.assert, so a failure prints the seed and
 * path that replay it (pass them as `seed` and `path` to that lane's fc.assert) and shrinks
 * to one request. Run with --silent=false for the count of each status.
 */
import fc from "fast-check";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import gateway from "../../.generated/fuzz/app.ts";
import publicSpec from "../../.generated/fuzz/openapi.ts";
import { hitsOf } from "../../support/tokens.ts";
import { type FuzzRequest, requestsFor } from "./request-arbitraries.ts";

const FULL = env.SECURITY_PROFILE === "full";
const TOTAL = FULL ? 100_000 : 1_000;
/** Requests in flight at once: one per lane. */
const LANES = 16;
/** The short profile replays one seed; the full one draws a new seed each run. */
const SEED = FULL ? Date.now() % 2 ** 31 : 20_251_117;
const ANSWER_WITHIN_MS = 10_000;
const ORIGIN = "https://api.example.com";
/** A stack in JSON text: a `stack` member, or a frame after an escaped line break. */
const STACK = /"stack"\s*:|\\n\s+at \S/;

// The unreachable upstream less often: workerd logs each refused connection on its own.
const requests = requestsFor(JSON.parse(publicSpec()), (operationId) => (operationId === "down" ? 1 : 4));
const run = crypto.randomUUID().slice(0, 8);
let sent = 0;
const statuses = new Map<number, number>();
const unsendable: string[] = [];
const unanswered: FuzzRequest[] = [];

/** A header value in ASCII, the rest of its UTF-8 bytes (and controls) percent-encoded, as clients send cookies. */
const ascii = (value: string) =>
  [...new TextEncoder().encode(value)]
    .map((byte) => (byte === 9 || (byte >= 0x20 && byte < 0x7f) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, "0")}`))
    .join("");

function streamOf(body: string | Uint8Array): ReadableStream<Uint8Array> {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 1024) controller.enqueue(bytes.slice(i, i + 1024));
      controller.close();
    },
  });
}

/** The request as workerd would hand it to the Worker, or the reason a client could not send it. */
function build(input: FuzzRequest, probe: string): Request | string {
  try {
    const headers = new Headers();
    for (const [name, value] of input.headers) headers.append(name, ascii(value));
    headers.set("x-probe", probe);
    const bodyless = input.body === undefined || ["GET", "HEAD"].includes(input.method.toUpperCase());
    const body = bodyless ? undefined : input.streamed ? streamOf(input.body!) : input.body;
    // Joined, not resolved: a path of `//host/x` stays a path, as on the wire.
    return new Request(`${ORIGIN}${input.url.startsWith("/") ? "" : "/"}${input.url}`, { method: input.method, headers, body });
  } catch (error) {
    return String(error);
  }
}

/** The answer, read to its end, or undefined when there is none in time. */
async function answer(request: Request): Promise<{ response: Response; text: string } | undefined> {
  const ctx = createExecutionContext();
  const answered = (async () => {
    const response = await gateway.fetch(request, env, ctx);
    const text = await response.text();
    await waitOnExecutionContext(ctx);
    return { response, text };
  })();
  const late = new Promise<undefined>((resolve) => {
    const timer = setTimeout(resolve, ANSWER_WITHIN_MS);
    const stop = () => clearTimeout(timer);
    answered.then(stop, stop);
  });
  return Promise.race([answered, late]);
}

/** Upstream hits per probe, asked for many probes at once: the lanes waiting in one tick share a request. */
const countHits = (() => {
  let waiting: Array<{ probe: string; resolve: (hits: number) => void; reject: (error: unknown) => void }> = [];
  const flush = () => {
    const batch = waiting;
    waiting = [];
    hitsOf(batch.map((w) => w.probe)).then(
      (counts) => batch.forEach((w, i) => w.resolve(counts[i])),
      (error) => batch.forEach((w) => w.reject(error)),
    );
  };
  return (probe: string) =>
    new Promise<number>((resolve, reject) => {
      if (waiting.push({ probe, resolve, reject }) === 1) setTimeout(flush, 0);
    });
})();

/** The 5xx answers the fuzz gateway's design allows: its unreachable upstream, and the mock asked for a status it lacks. */
function byDesign(input: FuzzRequest, request: Request, status: number): boolean {
  const path = new URL(request.url).pathname;
  if (status === 502) return path === "/down";
  if (status === 501) return path.startsWith("/mocked/") && input.headers.some(([name]) => name === "prefer");
  return false;
}

async function check(input: FuzzRequest): Promise<void> {
  const probe = `${run}-${++sent}`;
  const request = build(input, probe);
  if (typeof request === "string") return void unsendable.push(request);
  const outcome = await answer(request);
  if (!outcome) return void unanswered.push(input);
  const { response, text } = outcome;
  const { status } = response;
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  const hits = await countHits(probe);
  expect(hits, "the upstream got one request more than once").toBeLessThanOrEqual(1);
  if (status >= 500) expect(byDesign(input, request, status), `${status} not by design: ${text}`).toBe(true);
  if (status >= 400 && status < 500) expect(hits, `refused with ${status}, yet the upstream got it`).toBe(0);
  if (status < 400 || hits > 0) return;
  expect(response.headers.get("content-type"), `${status}: ${text}`).toBe("application/problem+json");
  if (request.method === "HEAD") return;
  expect(JSON.parse(text)).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
    requestId: expect.any(String),
  });
  expect(text).not.toMatch(STACK);
}

it(
  `answers ${TOTAL} generated requests as designed`,
  async () => {
    const lanes = Array.from({ length: LANES }, (_, lane) =>
      fc.assert(
        fc.asyncProperty(requests, (input) => check(input)),
        { seed: SEED + lane, numRuns: Math.ceil(TOTAL / LANES) },
      ),
    );
    const settled = await Promise.allSettled(lanes);
    const failed = settled.find((lane): lane is PromiseRejectedResult => lane.status === "rejected");
    console.log(
      `${sent} requests (seed ${SEED}): statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; not sendable: ${unsendable.length} ${unsendable.slice(0, 3).join("; ")}`,
    );
    if (failed) throw failed.reason;
    expect(unanswered, `no answer within ${ANSWER_WITHIN_MS} ms`).toEqual([]);
  },
  FULL ? 900_000 : 120_000,
);
