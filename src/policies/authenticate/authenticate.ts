/**
 * @module
 * Authentication derived from the document's securitySchemes and security:
 * alternatives are OR, schemes inside one alternative are AND, and each
 * scheme's scopes must be held. Every failure gives the same 401 body; only a
 * caller that proved who it is but lacks a scope gets 403.
 */
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import { defineBuiltin } from "../../runtime/builtin.ts";
import { passCheck } from "../../runtime/context.ts";
import type { Consumer, GatewayContext } from "../../runtime/types.ts";
import { InvalidTokenError } from "./claims.ts";
import { credentialOf, hideHeaderCredentials, placeOf, RequestUrl, withoutQueryCredentials } from "./credentials.ts";
import { IntrospectionUnavailableError } from "./introspection.ts";
import { KeysUnavailableError } from "./key-sets.ts";
import { consumerOfCredential } from "./verify.ts";
import { CONSUMER_HEADERS, type AuthenticateOptions, type CredentialPlace, type Requirement, type SchemePlan } from "./options.ts";

type Outcome = { ok: true; consumer: Consumer } | { ok: false; reason: "missing" | "invalid" };

async function check(name: string, scheme: SchemePlan, request: Request, url: RequestUrl, ctx: GatewayContext): Promise<Outcome> {
  const found = credentialOf(request, url, scheme);
  if (found.kind !== "present" || scheme.type === "unusable") return { ok: false, reason: found.kind === "missing" ? "missing" : "invalid" };
  try {
    const consumer = await consumerOfCredential(scheme, found.value, ctx);
    return consumer ? { ok: true, consumer: { ...consumer, scheme: name } } : { ok: false, reason: "invalid" };
  } catch (error) {
    if (error instanceof InvalidTokenError) {
      ctx.log.info("token refused", { reason: error.message });
      return { ok: false, reason: "invalid" };
    }
    if (error instanceof KeysUnavailableError || error instanceof IntrospectionUnavailableError) {
      ctx.log.error(error instanceof KeysUnavailableError ? "token keys unavailable" : "token introspection unavailable", { reason: error.message });
      throw new GatewayError(PROBLEM.serviceUnavailable, "Credentials cannot be checked right now. Retry shortly.", { "retry-after": "5" });
    }
    if (error instanceof GatewayError && error.kind === PROBLEM.serviceUnavailable) ctx.log.error("consumers unavailable", { reason: String(error.cause) });
    throw error;
  }
}

function challenge(name: string, scheme: SchemePlan, realm: string, invalid: boolean): string {
  const error = invalid ? `, error="invalid_token"` : "";
  if (scheme.type === "jwt" || scheme.type === "bearerKey" || scheme.type === "introspection") return `Bearer realm="${realm}"${error}`;
  if (scheme.type === "basic") return `Basic realm="${realm}", charset="UTF-8"`;
  if (scheme.type === "unusable") return `${scheme.challenge} realm="${realm}"`;
  // No registered scheme exists for API keys; this tells a client where to put one.
  return `ApiKey realm="${realm}", in="${scheme.in}", name="${scheme.name}", scheme="${name}"`;
}

interface Verdict {
  consumer?: Consumer;
  /** Scopes a proven caller lacked, when that is all that failed. */
  missingScopes?: string[];
  invalid: boolean;
}

async function evaluate(options: AuthenticateOptions, request: Request, url: RequestUrl, ctx: GatewayContext): Promise<Verdict & { passed: boolean }> {
  const outcomes = new Map<string, Promise<Outcome>>();
  const outcome = (name: string) => {
    let result = outcomes.get(name);
    if (!result) outcomes.set(name, (result = check(name, options.schemes[name], request, url, ctx)));
    return result;
  };
  let invalid = false;
  let missingScopes: string[] | undefined;
  let anonymousAllowed = false;
  for (const requirement of options.requirements) {
    if (requirement.length === 0) {
      anonymousAllowed = true;
      continue;
    }
    const result = await satisfies(requirement, outcome);
    if (result.consumer && !result.missingScopes) return { passed: true, consumer: result.consumer, invalid: false };
    invalid ||= result.invalid;
    if (result.missingScopes && !missingScopes) missingScopes = result.missingScopes;
  }
  // A bad credential is refused even where anonymous calls are allowed: it was meant to count.
  return { passed: anonymousAllowed && !invalid && !missingScopes, invalid, missingScopes };
}

async function satisfies(requirement: Requirement, outcome: (name: string) => Promise<Outcome>): Promise<Verdict> {
  let consumer: Consumer | undefined;
  const missingScopes: string[] = [];
  for (const { scheme, scopes } of requirement) {
    const result = await outcome(scheme);
    if (!result.ok) return { invalid: result.reason === "invalid" };
    consumer ??= result.consumer;
    missingScopes.push(...scopes.filter((scope) => !result.consumer.scopes.includes(scope)));
  }
  return { consumer, invalid: false, missingScopes: missingScopes.length > 0 ? missingScopes : undefined };
}

/** X-Consumer-Id and every spelling with underscores (X_Consumer_Id…), which CGI-style upstreams read as the same name. */
const CONSUMER_HEADER_SPELLINGS = Object.values(CONSUMER_HEADERS).flatMap((name) => {
  const [first, ...rest] = name.split("-");
  return rest.reduce((spellings, part) => spellings.flatMap((head) => [`${head}-${part}`, `${head}_${part}`]), [first]);
});

/** Printable ASCII but "%": what a consumer header carries as it is. */
const PLAIN = /^[\x20-\x24\x26-\x7e]*$/;

/**
 * A consumer's id, tier or scopes as a header value. Header values are
 * ISO-8859-1 at most (RFC 9110 §5.5 asks new fields for ASCII), and ids are
 * often not (`José`, `山田`): each other character and "%" itself are
 * percent-encoded as UTF-8 (RFC 3986 §2.1), so `José` arrives as `Jos%C3%A9`
 * and `100%` as `100%25`. Two ids never arrive alike, decodeURIComponent
 * gives the id back, and a plain ASCII id arrives as it is.
 */
export function consumerHeaderValue(value: string): string {
  if (PLAIN.test(value)) return value;
  return value.toWellFormed().replace(/[^\x20-\x24\x26-\x7e]/gu, (character) => encodeURIComponent(character));
}

/**
 * The request the upstream gets: without a client's own consumer headers and
 * the credentials it need not see, with the consumer's. (Hop-by-hop headers
 * are gone before any policy runs.) A request with nothing to take out or put
 * in (most calls to a public operation) goes on as it came: copying it would
 * cost more than the check.
 */
function upstreamRequest(request: Request, url: RequestUrl, hidden: CredentialPlace[], consumer: Consumer | undefined): Request {
  const forged = CONSUMER_HEADER_SPELLINGS.some((name) => request.headers.has(name));
  if (!consumer && hidden.length === 0 && !forged) return request;
  const forwarded = new Request(withoutQueryCredentials(url, hidden), request);
  const headers = forwarded.headers;
  if (forged) for (const name of CONSUMER_HEADER_SPELLINGS) headers.delete(name);
  hideHeaderCredentials(headers, hidden);
  if (consumer) {
    headers.set(CONSUMER_HEADERS.id, consumerHeaderValue(consumer.id));
    if (consumer.tier) headers.set(CONSUMER_HEADERS.tier, consumerHeaderValue(consumer.tier));
    if (consumer.scopes.length > 0) headers.set(CONSUMER_HEADERS.scopes, consumerHeaderValue(consumer.scopes.join(" ")));
  }
  return forwarded;
}

export const authenticate = defineBuiltin<AuthenticateOptions>({
  create({ options: given }) {
    // Its own copy: what a request reads was settled at set-up.
    const options = structuredClone(given);
    // Where the credentials the upstream must not see live.
    const hidden = Object.values(options.schemes)
      .filter((scheme) => !scheme.forwardCredentials)
      .map(placeOf);
    return { inbound: (request, ctx) => authenticateRequest(request, ctx, options, hidden) };
  },
});

async function authenticateRequest(request: Request, ctx: GatewayContext, options: AuthenticateOptions, hidden: CredentialPlace[]): Promise<Request> {
  const url = new RequestUrl(request.url);
  const verdict = options.requirements.length === 0 ? { passed: true, invalid: false } : await evaluate(options, request, url, ctx);
  if (verdict.passed) {
    ctx.consumer = verdict.consumer;
    const upstream = upstreamRequest(request, url, hidden, verdict.consumer);
    // Only consumer headers and credentials changed: no hop-by-hop field for forward to look for again.
    passCheck(ctx, request, upstream);
    return upstream;
  }
  if (verdict.missingScopes && !verdict.invalid) {
    const scope = verdict.missingScopes.join(" ");
    throw new GatewayError(PROBLEM.insufficientScope, `This operation needs the scope(s): ${scope}.`, {
      "www-authenticate": `Bearer realm="${options.realm}", error="insufficient_scope", scope="${scope}"`,
    });
  }
  const named = new Set(options.requirements.flat().map(({ scheme }) => scheme));
  const challenges = [...named].map((name) => challenge(name, options.schemes[name], options.realm, verdict.invalid));
  throw new GatewayError(PROBLEM.unauthorized, "Missing or invalid credentials.", { "www-authenticate": challenges.join(", ") });
}
