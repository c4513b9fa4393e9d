/**
 * @module
 * The only place that renders the gateway's own errors: RFC 9457 problem+json.
 */

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** The problem types the gateway itself emits; each is documented in the portal. */
export const PROBLEM = {
  notFound: { status: 404, title: "Not Found", type: "not-found" },
  methodNotAllowed: { status: 405, title: "Method Not Allowed", type: "method-not-allowed" },
  badRequest: { status: 400, title: "Bad Request", type: "bad-request" },
  validation: { status: 400, title: "Request Validation Failed", type: "validation" },
  unauthorized: { status: 401, title: "Unauthorized", type: "unauthorized" },
  forbidden: { status: 403, title: "Forbidden", type: "forbidden" },
  insufficientScope: { status: 403, title: "Insufficient Scope", type: "insufficient-scope" },
  lengthRequired: { status: 411, title: "Length Required", type: "length-required" },
  payloadTooLarge: { status: 413, title: "Content Too Large", type: "content-too-large" },
  uriTooLong: { status: 414, title: "URI Too Long", type: "uri-too-long" },
  headersTooLarge: { status: 431, title: "Request Header Fields Too Large", type: "request-header-fields-too-large" },
  unsupportedMediaType: { status: 415, title: "Unsupported Media Type", type: "unsupported-media-type" },
  tooManyRequests: { status: 429, title: "Too Many Requests", type: "too-many-requests" },
  internal: { status: 500, title: "Internal Server Error", type: "internal" },
  badGateway: { status: 502, title: "Bad Gateway", type: "bad-gateway" },
  gatewayTimeout: { status: 504, title: "Gateway Timeout", type: "gateway-timeout" },
  notImplemented: { status: 501, title: "Not Implemented", type: "not-implemented" },
  serviceUnavailable: { status: 503, title: "Service Unavailable", type: "service-unavailable" },
} as const;

export type ProblemKind = (typeof PROBLEM)[keyof typeof PROBLEM];

/** Base of the `type` URIs: stable, and the portal's error page explains each. */
export const PROBLEM_TYPE_BASE = "https://portico.dev/problems/";

export interface ProblemInit {
  detail: string;
  requestId: string;
  /** The request path the problem occurred on. */
  instance: string;
  headers?: HeadersInit;
  extra?: Record<string, unknown>;
}

/** Builds an `application/problem+json` response. */
export function problem(kind: ProblemKind, init: ProblemInit): Response {
  const body = {
    type: PROBLEM_TYPE_BASE + kind.type,
    title: kind.title,
    status: kind.status,
    detail: init.detail,
    instance: init.instance,
    requestId: init.requestId,
    ...init.extra,
  };
  const headers = new Headers(init.headers);
  headers.set("content-type", PROBLEM_CONTENT_TYPE);
  headers.set("x-request-id", init.requestId);
  return new Response(JSON.stringify(body), { status: kind.status, headers });
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
