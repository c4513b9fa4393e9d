/**
 * Mutations of the document's x-portico and security schemes: keys, policies, options,
 * URLs and templates, each with the verdict a careful user expects.
 */
import { joinPointer } from "../../../src/compiler/errors.ts";
import { addBearer, addComponent, addHandler, addOperation, addScheme, listInbound, type Operator, operations, setRoot, some } from "./document.ts";

/** Sets an inline forward handler on an existing operation; returns the pointer of its url. */
function forwardTo(doc: Record<string, any>, url: string, pick: (n: number) => number): string | undefined {
  const target = some(operations(doc), pick);
  if (!target) return undefined;
  target.op["x-portico"] = { ...target.op["x-portico"], handler: { use: "forward", options: { url } } };
  return joinPointer(target.at, "x-portico", "handler", "options", "url");
}

/** Names every object inherits, which a lookup in a plain object finds. */
const INHERITED = ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__"];

export const PORTICO_OPERATORS: Operator[] = [
  { name: "unknown x-portico key at the root", verdict: "refused", apply: (doc) => (setRoot(doc, { upstreem: "https://api.example.com" }), "/x-portico") },
  {
    name: "unknown x-portico key on an operation",
    verdict: "refused",
    apply(doc, pick) {
      const target = some(operations(doc), pick);
      if (!target) return undefined;
      target.op["x-portico"] = { ...target.op["x-portico"], handlr: "mock" };
      return joinPointer(target.at, "x-portico");
    },
  },
  { name: "unknown policy name", verdict: "refused", apply: (doc, pick) => listInbound(doc, "rate-limitt", pick) },
  {
    name: "policy named after an inherited member",
    verdict: "refused",
    apply: (doc, pick) => listInbound(doc, INHERITED.slice(0, 4)[pick(4)], pick),
  },
  { name: "handler listed as a policy", verdict: "refused", apply: (doc, pick) => listInbound(doc, "forward", pick) },
  { name: "policy module that does not exist", verdict: "refused", apply: (doc, pick) => listInbound(doc, "./policies/nope.ts", pick) },
  { name: "policy module outside the project", verdict: "refused", apply: (doc, pick) => listInbound(doc, "../outside.ts", pick) },
  {
    name: "option of the wrong type",
    verdict: "refused",
    apply: (doc, pick) => listInbound(doc, { use: "rate-limit", options: { limit: "ten" } }, pick)?.concat("/options/limit"),
  },
  {
    name: "unknown option",
    verdict: "refused",
    apply: (doc, pick) => listInbound(doc, { use: "set-headers", options: { headers: { A: "b" }, overwite: true } }, pick)?.concat("/options"),
  },
  {
    name: "rate-limit option its `by` never reads",
    verdict: "refused",
    gap: "accepted: the option is ignored and requests are counted by address",
    apply: (doc, pick) =>
      listInbound(doc, { use: "rate-limit", options: { limit: 5, ...(pick(2) ? { header: "X-Tenant" } : { function: "./policies/key.ts" }) } }, pick)?.concat(
        "/options",
      ),
  },
  {
    name: "ip-filter range that is no CIDR",
    verdict: "refused",
    apply: (doc, pick) => listInbound(doc, { use: "ip-filter", options: { allow: ["10.0.0.0/33"] } }, pick)?.concat("/options/allow/0"),
  },
  {
    name: "cache on a POST",
    verdict: "refused",
    apply: (doc) =>
      addOperation(doc, "/mutant-cached", { "x-portico": { handler: "mock", inbound: [{ use: "cache", options: { ttl: 60 } }] } }) + "/x-portico/inbound/0",
  },
  // URLs and templates.
  { name: "forward url relative", verdict: "refused", apply: (doc, pick) => forwardTo(doc, "/v1/things", pick) },
  { name: "forward url javascript:", verdict: "refused", apply: (doc, pick) => forwardTo(doc, "javascript:alert(1)", pick) },
  { name: "forward url file:", verdict: "refused", apply: (doc, pick) => forwardTo(doc, "file:///etc/passwd", pick) },
  { name: "forward url from a var", verdict: "accepted", apply: (doc, pick) => forwardTo(doc, "${env.UPSTREAM_URL}/v1", pick) },
  {
    // SECURITY.md API7: a path parameter never changes the upstream host.
    name: "forward url with a path parameter as its host",
    verdict: "refused",
    apply: (doc) => addHandler(doc, { use: "forward", options: { url: "https://${params.p}/v1" } }) + "/url",
  },
  {
    name: "forward url with a path parameter against its host",
    verdict: "refused",
    apply: (doc) => addHandler(doc, { use: "forward", options: { url: "https://api.example.com${params.p}/" } }) + "/url",
  },
  {
    name: "redirect with a path parameter as its host",
    verdict: "refused",
    apply: (doc) => addHandler(doc, { use: "redirect", options: { location: "https://${params.p}/" } }) + "/location",
  },
  {
    name: "redirect to javascript:",
    verdict: "refused",
    apply: (doc) => addHandler(doc, { use: "redirect", options: { location: "javascript:alert(1)" } }) + "/location",
  },
  {
    name: "redirect to a path of the gateway",
    verdict: "accepted",
    apply: (doc) => addHandler(doc, { use: "redirect", options: { location: "/docs/${params.p}" } }) + "/location",
  },
  { name: "unterminated ${env.", verdict: "refused", apply: (doc, pick) => forwardTo(doc, "${env.UPSTREAM_URL/v1", pick) },
  { name: "template of no parameter", verdict: "refused", apply: (doc, pick) => forwardTo(doc, "https://api.example.com/${params.nope}", pick) },
  { name: "template in servers", verdict: "refused", apply: (doc) => ((doc.servers = [{ url: "${env.BASE_URL}/v1" }]), "/servers/0/url") },
  {
    name: "upstream relative",
    verdict: "refused",
    apply: (doc) => (
      setRoot(doc, { upstream: "/api" }),
      addOperation(doc, "/mutant-forwarded", { "x-portico": { handler: "forward" } }),
      "/x-portico/upstream"
    ),
  },
  { name: "problems base not a URL", verdict: "refused", apply: (doc) => (setRoot(doc, { problems: { base: "ftp://errors" } }), "/x-portico/problems/base") },
  // Besides this, the build says "validate must be boolean": the other branch of its type.
  {
    name: "validate maxBodyBytes negative",
    verdict: "refused",
    apply: (doc) => (setRoot(doc, { validate: { maxBodyBytes: -1 } }), "/x-portico/validate/maxBodyBytes"),
  },
  // Named policies.
  {
    name: "named policy shadowing a built-in",
    verdict: "warned",
    apply: (doc) => (
      setRoot(doc, { policies: { ...doc["x-portico"]?.policies, "rate-limit": { use: "rate-limit", options: { limit: 5 } } } }),
      "/x-portico/policies/rate-limit"
    ),
  },
  {
    name: "named policy no operation uses, broken",
    verdict: "refused",
    gap: "accepted: a named policy is checked only where it is listed",
    apply: (doc, pick) => (
      setRoot(doc, { policies: { ...doc["x-portico"]?.policies, lonely: pick(2) ? { use: "nope" } : { use: "rate-limit", options: { limit: "x" } } } }),
      "/x-portico/policies/lonely"
    ),
  },
  {
    name: "quota gateway-wide",
    verdict: "refused",
    apply: (doc) => (
      setRoot(doc, { inbound: [...(doc["x-portico"]?.inbound ?? []), { use: "quota", options: { limit: 5 } }] }),
      `/x-portico/inbound/${doc["x-portico"].inbound.length - 1}`
    ),
  },
  {
    name: "CORS wildcard with credentials",
    verdict: "refused",
    apply: (doc, pick) =>
      listInbound(doc, { use: "cors", options: { origins: ["https://app.example.com", "*"], credentials: true } }, pick)?.concat("/options/origins/1"),
  },
  {
    name: "CORS origin over a whole TLD with credentials",
    verdict: "warned",
    apply: (doc, pick) => listInbound(doc, { use: "cors", options: { origins: ["https://*.com"], credentials: true } }, pick)?.concat("/options/origins/0"),
  },
  {
    name: "CORS origin with a trailing slash",
    verdict: "refused",
    apply: (doc, pick) => listInbound(doc, { use: "cors", options: { origins: ["https://app.example.com/"] } }, pick)?.concat("/options/origins/0"),
  },
  // Security schemes.
  {
    name: "security names no scheme",
    verdict: "refused",
    apply: (doc) => addOperation(doc, "/mutant-security", { security: [{ nowhere: [] }] }) + "/security/0/nowhere",
  },
  {
    name: "security names an inherited member",
    verdict: "refused",
    apply(doc, pick) {
      addComponent(doc, "securitySchemes", "mutantKey", { type: "apiKey", in: "header", name: "X-Mutant-Key" });
      const name = INHERITED.slice(0, 3)[pick(3)];
      return addOperation(doc, "/mutant-security", { security: [{ [name]: [] }] }) + `/security/0/${name}`;
    },
  },
  {
    name: "jwks not a URL",
    verdict: "refused",
    apply: (doc) => addBearer(doc, { jwks: "not a url", issuer: "https://id.example/", audience: "api" }) + "/x-portico/jwks",
  },
  {
    name: "jwks over plain http to a remote host",
    verdict: "warned",
    gap: "accepted: keys fetched without TLS, which anyone on the path can replace",
    apply: (doc) => addBearer(doc, { jwks: "http://id.example.com/jwks.json", issuer: "https://id.example.com/", audience: "api" }) + "/x-portico/jwks",
  },
  {
    name: "scheme no operation uses, broken",
    verdict: "refused",
    gap: "accepted: a scheme's URLs and algorithms are checked only where security names it",
    apply: (doc) =>
      addComponent(doc, "securitySchemes", "unused", {
        type: "http",
        scheme: "bearer",
        "x-portico": { jwks: "not a url", issuer: "https://id.example/", audience: "api" },
      }) + "/x-portico/jwks",
  },
  {
    name: "HS256 with jwks",
    verdict: "refused",
    apply: (doc) =>
      addBearer(doc, { jwks: "https://id.example/jwks.json", issuer: "https://id.example/", audience: "api", algorithms: ["HS256"] }) +
      "/x-portico/algorithms/0",
  },
  {
    name: "HS256 with static keys",
    verdict: "refused",
    apply: (doc) =>
      addBearer(doc, { keys: "${env.JWT_KEY}", issuer: "https://id.example/", audience: "api", algorithms: ["RS256", "HS256"] }) + "/x-portico/algorithms/1",
  },
  {
    name: "bearer without audience",
    verdict: "refused",
    apply: (doc) => addBearer(doc, { jwks: "https://id.example/jwks.json", issuer: "https://id.example/" }) + "/x-portico",
  },
  { name: "bearer without keys", verdict: "warned", apply: (doc) => addBearer(doc, { issuer: "https://id.example/", audience: "api" }) },
  {
    name: "unknown scheme x-portico key",
    verdict: "refused",
    apply: (doc) => addBearer(doc, { jwks: "https://id.example/jwks.json", issuer: "https://id.example/", audience: "api", audiance: "x" }) + "/x-portico",
  },
  {
    name: "OAuth scope no flow defines",
    verdict: "warned",
    gap: "accepted: every request gets 403 for want of a scope no token can hold",
    apply(doc) {
      const flows = { clientCredentials: { tokenUrl: "https://id.example/token", scopes: { "items:read": "Read items" } } };
      const extension = { jwks: "https://id.example/jwks.json", issuer: "https://id.example/", audience: "api" };
      addScheme(doc, { type: "oauth2", flows, "x-portico": extension }, ["items:raed"]);
      return "/paths/~1mutant-secured/post/security/0/mutantScheme/0|/paths/~1mutant-secured/post/security/0/mutantScheme";
    },
  },
  // Harmless changes.
  { name: "new mocked operation", verdict: "accepted", apply: (doc) => addOperation(doc) },
  {
    name: "operationId renamed",
    verdict: "accepted",
    apply(doc, pick) {
      const target = some(operations(doc), pick);
      if (!target) return undefined;
      target.op.operationId = `renamed${pick(1000)}`;
      return joinPointer(target.at, "operationId");
    },
  },
];
