/**
 * @module
 * A fake upstream the test registers: requests the gateway fetches from its origin
 * are answered by a function of the test's and recorded.
 *
 * Why global fetch and not a server or a service binding: inside workerd there is no
 * Node server to start from a test, @cloudflare/vitest-plugin 1.5 no longer has
 * `fetchMock`, and a service binding has to be declared in the vitest config ahead of
 * time. The gateway, its Durable Objects and the test share one isolate in the test
 * runner, so replacing `globalThis.fetch` for one origin reaches every `fetch` the
 * gateway makes, and leaves other origins to the real one.
 */
import { onTestFinished } from "vitest";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Headers;
  /** The body as text ("" without one). */
  body: string;
}

export interface FakeUpstream {
  /** The origin it answers for, e.g. "https://upstream.test": point the gateway's upstream URL at it. */
  readonly url: string;
  /** Every request it got, oldest first. */
  readonly requests: RecordedRequest[];
  /** The latest request, or undefined before the first. */
  readonly last: RecordedRequest | undefined;
  /** Gives fetch back; done by itself at the end of the test it was made in. */
  restore(): void;
}

export type UpstreamAnswer = (request: Request) => Response | Promise<Response>;

/** The default answer: 200 with what arrived, as JSON. */
export const echo: UpstreamAnswer = (request) => Response.json({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers) });

/**
 * Answers fetches to `origin` with `answer` (an echo of the request by default) and
 * records them. Call it inside a test, or in `beforeEach` and call `restore()` in `afterEach`.
 *
 * @example
 * ```ts
 * const upstream = fakeUpstream("https://upstream.test", () => Response.json({ id: "ex-1" }));
 * await callGateway(app, testRequest("/v1/exhibits/ex-1"), { env: { UPSTREAM_URL: upstream.url } });
 * expect(upstream.last?.headers.get("x-consumer-tier")).toBe("gold");
 * ```
 */
export function fakeUpstream(origin = "https://upstream.test", answer: UpstreamAnswer = echo): FakeUpstream {
  const own = new URL(origin).origin;
  const requests: RecordedRequest[] = [];
  const previous = globalThis.fetch;
  const intercepting: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).origin !== own) return previous(request);
    requests.push({ method: request.method, url: request.url, headers: new Headers(request.headers), body: await request.clone().text() });
    return answer(request);
  };
  globalThis.fetch = intercepting;
  const restore = () => {
    if (globalThis.fetch === intercepting) globalThis.fetch = previous;
  };
  restoreWhenTestEnds(restore);
  return {
    url: own,
    requests,
    get last() {
      return requests.at(-1);
    },
    restore,
  };
}

/** Outside a running test (beforeAll, module scope) vitest refuses onTestFinished: the caller restores then. */
export function restoreWhenTestEnds(restore: () => void): void {
  try {
    onTestFinished(restore);
  } catch {
    // not inside a test
  }
}
