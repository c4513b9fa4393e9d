/**
 * @module
 * The only place that renders the gateway's own errors: RFC 9457 problem+json.
 */

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** The problem types the gateway itself emits; each is documented in the portal. */
export const PROBLEM = {
  notFound: {
    status: 404,
    title: "Not Found",
    type: "not-found",
    explanation: "No operation of the API matches the request's path. Check the path and the base path against the operation list.",
  },
  methodNotAllowed: {
    status: 405,
    title: "Method Not Allowed",
    type: "method-not-allowed",
    explanation: "The path exists, but not with this method; the Allow header lists the methods it takes.",
  },
  badRequest: {
    status: 400,
    title: "Bad Request",
    type: "bad-request",
    explanation:
      "The request cannot be read as sent: a path parameter of . or .., or whose percent-encoding does not decode to UTF-8, or a _method query parameter the operation does not declare; errors names it.",
  },
  validation: {
    status: 400,
    title: "Request Validation Failed",
    type: "validation",
    explanation: "The request does not match the API description: errors lists each problem with where it is (in, name or pointer) and what is wrong.",
  },
  unauthorized: {
    status: 401,
    title: "Unauthorized",
    type: "unauthorized",
    explanation: "Credentials are missing or were not accepted; WWW-Authenticate says which schemes the operation takes.",
  },
  forbidden: {
    status: 403,
    title: "Forbidden",
    type: "forbidden",
    explanation: "The request is not allowed from this caller or address, whatever its credentials.",
  },
  insufficientScope: {
    status: 403,
    title: "Insufficient Scope",
    type: "insufficient-scope",
    explanation: "The credentials were accepted but lack a scope the operation needs; WWW-Authenticate names it.",
  },
  lengthRequired: {
    status: 411,
    title: "Length Required",
    type: "length-required",
    explanation: "This operation takes a body only with a Content-Length header.",
  },
  payloadTooLarge: { status: 413, title: "Content Too Large", type: "content-too-large", explanation: "The body is larger than the operation accepts." },
  upgradeRequired: {
    status: 426,
    title: "Upgrade Required",
    type: "upgrade-required",
    explanation: "This operation is a WebSocket: open it with a WebSocket handshake (Upgrade: websocket), not a plain request.",
  },
  uriTooLong: { status: 414, title: "URI Too Long", type: "uri-too-long", explanation: "The request URL is longer than the operation accepts." },
  headersTooLarge: {
    status: 431,
    title: "Request Header Fields Too Large",
    type: "request-header-fields-too-large",
    explanation: "The request headers are larger than the operation accepts.",
  },
  unsupportedMediaType: {
    status: 415,
    title: "Unsupported Media Type",
    type: "unsupported-media-type",
    explanation: "The body's Content-Type (or charset) is not one the operation takes; the detail lists those it does.",
  },
  tooManyRequests: {
    status: 429,
    title: "Too Many Requests",
    type: "too-many-requests",
    explanation: "A rate limit or quota is used up; Retry-After says when to try again, and the RateLimit headers how much is left.",
  },
  internal: {
    status: 500,
    title: "Internal Server Error",
    type: "internal",
    explanation: "The gateway could not complete the request; quote the requestId when you report it.",
  },
  badGateway: {
    status: 502,
    title: "Bad Gateway",
    type: "bad-gateway",
    explanation: "The upstream could not be reached, or its answer broke the API description.",
  },
  gatewayTimeout: { status: 504, title: "Gateway Timeout", type: "gateway-timeout", explanation: "The upstream did not answer in time." },
  notImplemented: {
    status: 501,
    title: "Not Implemented",
    type: "not-implemented",
    explanation: "The mock has no answer for what was asked (Prefer: code= names a status the operation does not declare).",
  },
  serviceUnavailable: {
    status: 503,
    title: "Service Unavailable",
    type: "service-unavailable",
    explanation: "Something the gateway needs (a counter, the keys that check tokens) cannot answer right now; Retry-After says when to try again.",
  },
} as const;

/** What `npm run dev` answers while the project does not build (never a deployed gateway). */
export const BUILD_FAILED = {
  status: 503,
  title: "The gateway does not build",
  type: "build-failed",
  explanation:
    "Only in local development: the project does not build, and errors lists each build error with its file, pointer and fix. Save a fix and the dev server reloads.",
} as const;

export type ProblemKind = (typeof PROBLEM)[keyof typeof PROBLEM];

/**
 * Where the `type` URIs point: a page (absolute URL, or a path on the
 * gateway's own host, such as the portal's errors page `/docs/errors`) whose
 * anchors explain each type, or "about:blank" (RFC 9457 §4.2.1: the type says
 * nothing beyond the status, and the title is the status phrase).
 */
export type ProblemBase = string;

/** The problem types' page when the document sets none and has no portal. */
export const DEFAULT_PROBLEM_BASE: ProblemBase = "about:blank";

/** HTTP status phrases (RFC 9110 §15), the title of an about:blank problem. */
const STATUS_PHRASES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  411: "Length Required",
  413: "Content Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  426: "Upgrade Required",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** The `type` and `title` of a problem kind under a base. */
export function problemType(kind: { type: string; title: string; status: number }, base: ProblemBase): { type: string; title: string } {
  if (base === "about:blank") return { type: "about:blank", title: STATUS_PHRASES[kind.status] ?? kind.title };
  return { type: `${base}#${kind.type}`, title: kind.title };
}

export interface ProblemInit {
  detail: string;
  requestId: string;
  /** The request's W3C trace id, beside requestId, to find its trace. */
  traceId?: string;
  /** The request path the problem occurred on. */
  instance: string;
  headers?: HeadersInit;
  extra?: Record<string, unknown>;
  /** Where the type URI points (x-portico.problems.base); the gateway passes its own. */
  base?: ProblemBase;
}

/** The problem type of each response problem() made, for the access log (a response a policy copies is no longer one). */
const problemTypes = new WeakMap<Response, string>();

export function problemTypeOf(response: Response): string | undefined {
  return problemTypes.get(response);
}

/** Builds an `application/problem+json` response. */
export function problem(kind: ProblemKind, init: ProblemInit): Response {
  const body = {
    ...problemType(kind, init.base ?? DEFAULT_PROBLEM_BASE),
    status: kind.status,
    detail: init.detail,
    instance: init.instance,
    requestId: init.requestId,
    ...(init.traceId ? { traceId: init.traceId } : {}),
    ...init.extra,
  };
  const headers = new Headers(init.headers);
  headers.set("content-type", PROBLEM_CONTENT_TYPE);
  headers.set("x-request-id", init.requestId);
  const response = new Response(JSON.stringify(body), { status: kind.status, headers });
  problemTypes.set(response, kind.type);
  return response;
}

/**
 * Thrown by built-ins to end the request with a given problem; the pipeline
 * renders it. Anything else thrown becomes a 500 with no detail of the error.
 */
export class GatewayError extends Error {
  override name = "GatewayError";
  readonly kind: ProblemKind;
  readonly detail: string;
  readonly headers?: HeadersInit;
  /** Extra members of the problem body, such as `errors` of a validation problem. */
  readonly extra?: Record<string, unknown>;
  constructor(kind: ProblemKind, detail: string, headers?: HeadersInit, extra?: Record<string, unknown>) {
    super(detail);
    this.kind = kind;
    this.detail = detail;
    this.headers = headers;
    this.extra = extra;
  }
}
