/**
 * @module
 * The router glue: Hono's TrieRouter and its path rules, called directly. A
 * request is matched on the path Hono reads from its URL (percent-decoded,
 * strict about trailing slashes); HEAD is matched as GET and answered without
 * a body; the routes that match run in the order they were added until one
 * answers. This is what a Hono app does for each request, without the app's
 * per-request Context: the gateway needs only the match.
 */
import { TrieRouter } from "hono/router/trie-router";
import { getPath, tryDecodeURIComponent } from "hono/utils/url";
import type { Env } from "./builtin.ts";
import type { WaitUntil } from "./context.ts";
import type { RequestTelemetry } from "./telemetry/request-telemetry.ts";

/**
 * One request's way through the gateway: the request, its env, its
 * telemetry, and the Workers' execution context (absent when a test calls
 * the gateway without one) for background work.
 */
export class Passage {
  readonly request: Request;
  readonly env: Env;
  readonly telemetry: RequestTelemetry;
  /** The request's method as sent (HEAD included). */
  readonly method: string;
  /** The path as the router matches it (percent-decoded), and as problems name it. */
  readonly path: string;
  /** Handed on to the request's context, where policies may call it unbound. */
  readonly waitUntil: WaitUntil;
  /** The Workers' execution context, for a route that calls the gateway again (an MCP tool call). */
  readonly execution: ExecutionContext | undefined;

  constructor(request: Request, env: Env, telemetry: RequestTelemetry, execution: ExecutionContext | undefined) {
    this.request = request;
    this.env = env;
    this.telemetry = telemetry;
    this.method = telemetry.method;
    this.path = getPath(request);
    this.waitUntil = execution ? (promise) => execution.waitUntil(promise) : ignoreOutcome;
    this.execution = execution;
  }
}

/** Without an execution context, background work runs on unawaited, its failure ignored. */
const ignoreOutcome: WaitUntil = (promise) => void promise.catch(() => {});

/** Path parameters as the router matched them, still percent-encoded. */
export type RawParams = Record<string, string | undefined>;

/** A route's answer, or undefined to let the next matching route answer (an admin route to a caller without the token). */
export type RouteHandler = (passage: Passage, params: RawParams) => Response | undefined | Promise<Response | undefined>;

/** Path parameters percent-decoded as Hono's `c.req.param()` gives them: a value that does not decode stays as sent. */
export function decodedParams(raw: RawParams): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const key in raw) {
    const value = raw[key];
    if (value !== undefined) decoded[key] = tryDecodeURIComponent(value);
  }
  return decoded;
}

export class Router {
  // TrieRouter: RegExpRouter rejects `/issues/comments` beside `/issues/:n`.
  readonly #trie = new TrieRouter<RouteHandler>();

  /** `method` "ALL" takes every method; `pattern` is in Hono's syntax. */
  add(method: string, pattern: string, handler: RouteHandler): void {
    this.#trie.add(method, pattern, handler);
  }

  /**
   * The first answer of the routes matching the request, or undefined when none
   * answers. A HEAD request is matched as GET; its caller drops the body.
   */
  answer(passage: Passage): Response | undefined | Promise<Response | undefined> {
    const { method } = passage;
    const [matched] = this.#trie.match(method === "HEAD" ? "GET" : method, passage.path);
    // Most paths match one route: its answer is the router's, with no wait of the router's own.
    if (matched.length === 1) return matched[0][0](passage, matched[0][1] as RawParams);
    return firstAnswer(passage, matched);
  }
}

async function firstAnswer(passage: Passage, matched: Array<[RouteHandler, unknown]>): Promise<Response | undefined> {
  for (let i = 0; i < matched.length; i++) {
    const [handler, params] = matched[i];
    const response = await handler(passage, params as RawParams);
    if (response) return response;
  }
  return undefined;
}
