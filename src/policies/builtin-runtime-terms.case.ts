/**
 * @module
 * The terms of the run-time contract (builtin-runtime.case.ts): its tests by
 * title, what a built-in's contract.test.ts gives it (options, a refusal,
 * skips with reasons), and the ordinary request and response it uses when
 * the built-in gives none.
 */
import type { Env } from "../runtime/builtin.ts";
import type { Consumer } from "../runtime/types.ts";

/** The contract's tests, by title: what a `skip` entry names. */
export const RUNTIME_TESTS = {
  passThrough: "lets an ordinary request through with the same method, URL, body and headers, but those it documents",
  responses: "passes responses on with the same status, body and headers, but those it documents",
  documented: "changes every header it documents changing",
  answers: "answers an ordinary request with a Response",
  refuses: "refuses with a GatewayError or a Response, never another error",
  problem: "ends its refusal at the gateway as problem+json with the requestId",
  repeat: "answers alike however many times its hooks run",
  setUpOnce: "takes what it needs from its options at set-up: changing them afterwards changes nothing",
  hooks: "has only hooks the router runs, and leaves the others undefined for it to skip",
  immutable: "never throws on a response whose headers are immutable, and gives back a Response",
} as const;

export type RuntimeTest = (typeof RUNTIME_TESTS)[keyof typeof RUNTIME_TESTS];

/** Tests a built-in cannot run, and why (Hono's `skip: [{ reason, tests }]`). */
export interface Skip {
  reason: string;
  tests: RuntimeTest[];
}

/** A request the built-in refuses, and what makes it refuse. */
export interface Refusal<Options> {
  /** The refused request (default: the ordinary one). */
  request?: () => Request;
  /** For a built-in that judges responses: the one it refuses to pass on. */
  response?: () => Response;
  /** Who the caller is; made once per refusal, so every attempt comes from the same caller. */
  consumer?: () => Consumer;
  /** How many times the request is sent, the last one refused (a limit of 1 refuses the second); default 1. */
  attempts?: number;
  /** The options it refuses under, when not the contract's own. */
  options?: Options;
}

export interface RuntimeContract<Options, Prepared> {
  /** Options as the build leaves them: valid, defaults filled in. */
  options: Options;
  prepared?: Prepared;
  /** The env its hooks see (default: the workers pool's, with wrangler.toml's bindings). */
  env?: Env;
  /** An ordinary request it lets through (default: a POST with a JSON body, a query and a few headers). */
  admitted?: () => Request;
  /** Who sends the ordinary request (default: an anonymous caller); made once per test. */
  consumer?: () => Consumer;
  /** What the upstream answers in the response tests (default: a 200 with a JSON body). */
  upstream?: () => Response;
  /** A CORS preflight, for a built-in with a preflight hook. */
  preflight?: () => Request;
  /** Headers (lower case) it documents adding, replacing or removing on what it lets through. */
  changes?: string[];
  refusal?: Refusal<Options>;
  /** The same refusal sent to a compiled test gateway: the last response. */
  atGateway?: () => Promise<Response>;
  skip?: Skip[];
}

/** The ordinary request: a body, a query with a repeated name, and headers a policy has no business touching. */
export function ordinaryRequest(): Request {
  return new Request("https://api.example.com/things/42?q=1&q=2", {
    method: "POST",
    headers: {
      accept: "application/json",
      "content-type": "application/json",
      "cf-connecting-ip": "203.0.113.9",
      "user-agent": "portico-contract",
      "x-custom": "kept",
    },
    body: '{"hello":"world"}',
  });
}

export function ordinaryResponse(): Response {
  return new Response('{"answer":42}', {
    status: 200,
    headers: { "cache-control": "no-cache", "content-type": "application/json", "x-custom": "kept" },
  });
}
