/**
 * `portico import zuplo`: the Zuplo projects under test/fixtures/zuplo/, each
 * written from Zuplo's documentation, are imported, built with compile() and
 * served by workerd (Miniflare) in front of a local echo upstream; each row of
 * the tables below cites the Zuplo page whose behaviour it expects.
 */
import { createServer, type Server } from "node:http";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveBundle, type Served } from "../../../bench/lib/gateway.ts";
import { bundleEntry } from "../../../bench/lib/workerd.ts";
import { compile } from "../../compiler/compile.ts";
import { generateApiKey } from "../../policies/authenticate/key-format.ts";
import { importZuplo } from "./import-zuplo.ts";

const repo = fileURLToPath(new URL("../../..", import.meta.url).href);
const fixture = (name: string) => join(repo, "test/fixtures/zuplo", name);
// Inside the repository, so the imported modules' `from "portico"` resolves as in a user's project.
const output = (name: string) => join(repo, "test/.generated", `zuplo-${name}`);
const DOCS = "https://zuplo.com/docs";
const API_KEY = generateApiKey();

let upstream: Server;
let upstreamUrl = "";
/** The identity provider's signing key; its public half is served as a JWKS by the upstream below. */
let signingKey: CryptoKey;
let jwks = "";

/** A token signed by the local key set, valid for five minutes. */
const signed = (claims: JWTPayload) =>
  new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "zuplo-test" }).setIssuedAt().setExpirationTime("5m").sign(signingKey);

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  signingKey = pair.privateKey;
  jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: "zuplo-test", alg: "RS256", use: "sig" }] });
  upstream = createServer((request, response) => {
    response.setHeader("content-type", "application/json");
    // The OpenID issuer's (/jwks.json) and the Clerk Frontend API's (/clerk/.well-known/jwks.json) key sets.
    if (request.url?.endsWith("jwks.json")) return void response.end(jwks);
    response.end(JSON.stringify({ url: request.url, headers: request.headers }));
  });
  await new Promise<void>((done) => upstream.listen(0, "127.0.0.1", done));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((done) => upstream.close(() => done())));

/** Imports the fixture, builds it, and serves it with the Durable Objects the built-ins need. */
async function serveImported(name: string): Promise<Served> {
  const project = output(name);
  rmSync(project, { recursive: true, force: true });
  importZuplo(fixture(name), project);
  // Type-checked as `portico build` does by default: the stand-in and adapters must compile as TypeScript too.
  const result = await compile({ root: project, outDir: join(project, ".portico"), typecheck: true });
  if (result.errors.length > 0) throw new Error(result.errors.map((error) => error.format()).join("\n"));
  writeFileSync(join(project, "worker.ts"), `export { default } from "./.portico/app.ts";\nexport * from "./.portico/durable-objects.ts";\n`);
  const { dir, modules } = await bundleEntry(join(project, "worker.ts"), join(project, ".bundle"), `zuplo-${name}`);
  return serveBundle({
    bundle: join(dir, modules[0]),
    via: "direct",
    apiKey: API_KEY,
    bindings: {
      UPSTREAM_URL: upstreamUrl,
      GREETING: "hello",
      STAFF_JWKS_URL: `${upstreamUrl}/jwks.json`,
      CLERK_FRONTEND_API_URL: `${upstreamUrl}/clerk`,
    },
    durableObjects: { RATE_LIMITER: "RateLimiter", QUOTA: "QuotaCounter" },
    durableStorage: "memory",
    onLog: () => {},
  });
}

interface Row {
  doc: string;
  request: [string, RequestInit?];
  status: number;
  headers?: Record<string, string | null>; // PRESENT: any value
  /** What the upstream saw or the body says, checked on the JSON body. */
  body?: (json: any) => void;
}

async function runRows(served: () => Served, rows: Row[]) {
  for (const row of rows) {
    const [path, init] = row.request;
    const response = await fetch(new URL(path, served().url), { redirect: "manual", ...init });
    const text = await response.text();
    expect(response.status, `${init?.method ?? "GET"} ${path} (${row.doc}): ${text}`).toBe(row.status);
    for (const [header, value] of Object.entries(row.headers ?? {})) {
      if (value === PRESENT) expect(response.headers.get(header), `${path} ${header}`).toBeTruthy();
      else expect(response.headers.get(header), `${path} ${header}`).toBe(value);
    }
    row.body?.(JSON.parse(text));
  }
}

/** A header that must be there, whatever its value. */
const PRESENT = "(present)";
const key = { authorization: `Bearer ${API_KEY}` };

describe("portico import zuplo: built-in handlers and policies", () => {
  let served: Served;
  beforeAll(async () => void (served = await serveImported("mapped")), 120_000);
  afterAll(() => served?.close());

  it("reports nothing unmapped", () => {
    expect(readFileSync(join(output("mapped"), "IMPORT-REPORT.md"), "utf8")).toContain("Nothing: every route");
  });

  it("answers as the Zuplo documentation says", async () => {
    await runRows(
      () => served,
      [
        { doc: `${DOCS}/policies/api-key-inbound`, request: ["/echo/1"], status: 401, headers: { "www-authenticate": PRESENT } },
        {
          doc: `${DOCS}/handlers/url-forward, /policies/set-headers-inbound, /policies/set-query-params-inbound, /policies/remove-headers-inbound, /policies/set-headers-outbound`,
          request: ["/echo/1?q=a", { headers: { ...key, "x-debug": "1" } }],
          status: 200,
          headers: { "x-powered-by": "gateway" },
          body: (json) => {
            expect(json.url).toBe("/echo/1?q=a&version=2");
            expect(json.headers["x-tenant"]).toBe("acme");
            expect(json.headers["x-debug"]).toBeUndefined();
          },
        },
        {
          doc: `${DOCS}/programmable-api/custom-cors-policy`,
          request: ["/echo/1", { headers: { ...key, origin: "https://app.example.com" } }],
          status: 200,
          headers: { "access-control-allow-origin": "https://app.example.com", "access-control-allow-credentials": "true" },
        },
        {
          doc: `${DOCS}/policies/rate-limit-inbound (rateLimitBy ip, 2 a minute)`,
          request: ["/echo/1", { headers: key }],
          status: 429,
          headers: { "retry-after": PRESENT },
        },
        {
          doc: `${DOCS}/handlers/url-rewrite, /articles/cors (anything-goes)`,
          request: ["/public", { headers: { origin: "https://any.example" } }],
          status: 200,
          headers: { "access-control-allow-origin": "*" },
          body: (json) => expect(json.url).toBe("/rewritten"),
        },
        { doc: `${DOCS}/handlers/redirect`, request: ["/old"], status: 301, headers: { location: "/new" } },
        { doc: `${DOCS}/policies/mock-api-inbound`, request: ["/mocked"], status: 200, body: (json) => expect(json).toEqual({ mocked: true }) },
        {
          doc: `${DOCS}/policies/request-size-limit-inbound`,
          request: ["/upload", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "x".repeat(100) }) }],
          status: 413,
        },
        {
          doc: `${DOCS}/policies/request-validation-inbound`,
          request: ["/upload", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }],
          status: 400,
        },
        {
          doc: `${DOCS}/policies/request-validation-inbound`,
          request: ["/upload", { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"a"}' }],
          status: 200,
        },
        { doc: `${DOCS}/policies/open-id-jwt-auth-inbound`, request: ["/staff"], status: 401 },
        {
          doc: `${DOCS}/articles/advanced-path-matching (url-pattern /users/:id)`,
          request: ["/users/42"],
          status: 200,
          body: (json) => expect(json.url).toBe("/users/42"),
        },
        { doc: `${DOCS}/policies/ip-address-restriction-inbound`, request: ["/office"], status: 403 },
        { doc: `${DOCS}/policies/quota-inbound (1 request a month)`, request: ["/metered", { headers: key }], status: 200 },
        { doc: `${DOCS}/policies/quota-inbound (1 request a month)`, request: ["/metered", { headers: key }], status: 429 },
      ],
    );
  });

  it("lets a token from the issuer's key set through to the upstream", async () => {
    const staff = { authorization: `Bearer ${await signed({ iss: "https://issuer.example/", aud: "staff", sub: "ada" })}` };
    const otherApi = { authorization: `Bearer ${await signed({ iss: "https://issuer.example/", aud: "billing", sub: "ada" })}` };
    await runRows(
      () => served,
      [
        {
          doc: `${DOCS}/policies/open-id-jwt-auth-inbound`,
          request: ["/staff", { headers: staff }],
          status: 200,
          body: (json) => expect(json.url).toBe("/staff"),
        },
        { doc: `${DOCS}/policies/open-id-jwt-auth-inbound (audience staff)`, request: ["/staff", { headers: otherApi }], status: 401 },
      ],
    );
  });
});

describe("portico import zuplo: custom modules", () => {
  let served: Served;
  beforeAll(async () => void (served = await serveImported("custom")), 120_000);
  afterAll(() => served?.close());

  it("runs the modules through the adapter as the Zuplo documentation says", async () => {
    await runRows(
      () => served,
      [
        {
          doc: `${DOCS}/handlers/custom-handler, /programmable-api/environment, /policies/custom-code-inbound, /policies/custom-code-outbound`,
          request: ["/hello/ada"],
          status: 200,
          headers: { "x-stamp": "hello" },
          body: (json) => expect(json).toEqual({ greeting: "hello, ada", tag: "checked" }),
        },
        { doc: `${DOCS}/policies/custom-code-inbound (a Response ends the request)`, request: ["/hello/ada", { headers: { "x-flagged": "1" } }], status: 403 },
        { doc: `${DOCS}/rate-limiting/dynamic-rate-limiting`, request: ["/hello/ada", { headers: { "x-tenant": "t1" } }], status: 200 },
        { doc: `${DOCS}/rate-limiting/dynamic-rate-limiting (requestsAllowed 1)`, request: ["/hello/ada", { headers: { "x-tenant": "t1" } }], status: 429 },
        { doc: `${DOCS}/rate-limiting/dynamic-rate-limiting (another key)`, request: ["/hello/ada", { headers: { "x-tenant": "t2" } }], status: 200 },
      ],
    );
  });

  it("checks Clerk session tokens (no aud) and answers a module's HttpProblems as problem+json", async () => {
    const clerk = `${upstreamUrl}/clerk`;
    const session = { authorization: `Bearer ${await signed({ iss: clerk, sub: "user_2abc", azp: "https://app.example.com" })}` };
    const otherInstance = { authorization: `Bearer ${await signed({ iss: "https://other.clerk.accounts.dev", sub: "user_2abc" })}` };
    const problemOf = (status: number, title: string, detail: string) => (json: any) =>
      expect(json).toEqual({
        type: "about:blank",
        title,
        status,
        detail,
        instance: "/me",
        requestId: expect.any(String),
        ...(status === 403 ? { plan: "free" } : {}),
      });
    await runRows(
      () => served,
      [
        { doc: `${DOCS}/policies/clerk-jwt-auth-inbound`, request: ["/me"], status: 401, headers: { "www-authenticate": PRESENT } },
        { doc: `${DOCS}/policies/clerk-jwt-auth-inbound (issuer is the frontendApiUrl)`, request: ["/me", { headers: otherInstance }], status: 401 },
        {
          doc: `${DOCS}/programmable-api/http-problems (badRequest with overrides and additionalHeaders)`,
          request: ["/me", { headers: session }],
          status: 400,
          headers: { "content-type": "application/problem+json", "x-required-header": "x-plan" },
          body: problemOf(400, "Bad Request", "Send an X-Plan header."),
        },
        {
          doc: `${DOCS}/programmable-api/http-problems (forbidden, an extension member)`,
          request: ["/me", { headers: { ...session, "x-plan": "free" } }],
          status: 403,
          headers: { "content-type": "application/problem+json" },
          body: problemOf(403, "Forbidden", "The free plan cannot read this."),
        },
        {
          doc: `${DOCS}/policies/clerk-jwt-auth-inbound, /programmable-api/zuplo-request (request.user.sub)`,
          request: ["/me", { headers: { ...session, "x-plan": "pro" } }],
          status: 200,
          body: (json) => expect(json).toEqual({ sub: "user_2abc" }),
        },
      ],
    );
  });
});

describe("portico import zuplo: what has no counterpart", () => {
  it("lists exactly the unmapped parts, and the build stops at each", async () => {
    const project = output("unmappable");
    rmSync(project, { recursive: true, force: true });
    const { state } = importZuplo(fixture("unmappable"), project);
    expect(state.unmapped.map((u) => `${u.file} ${u.place}: ${u.reason.replace(/:.*/, "")}`)).toEqual([
      'config/policies.json policies[0] "cache" (caching-inbound): the built-in `caching-inbound` has no Portico counterpart',
      "config/routes.oas.json /paths/~1lambda/post/x-zuplo-route/handler: the built-in handler `awsLambdaHandler` has no Portico counterpart",
      "config/routes.oas.json /paths/~1files~1:path*/x-zuplo-path: the URL pattern matches several segments at its end, and an OpenAPI path parameter matches one",
      "modules/chained.ts line 4: `context.invokeInboundPolicy` is not provided on Portico",
      "modules/chained.ts line 6: `context.addResponseSendingHook` is not provided on Portico",
      "modules/token.ts line 1: `ZuploServices` from @zuplo/runtime has no Portico counterpart",
    ]);
    const report = readFileSync(join(project, "IMPORT-REPORT.md"), "utf8");
    expect(report.match(/^\| (config|modules)\//gm)).toHaveLength(6);
    // The route is kept under the nearest OpenAPI path, with its handler.
    const document = readFileSync(join(project, "openapi/openapi.yaml"), "utf8");
    expect(document).toMatch(/\/files\/\{path\}:[\s\S]*files\.example\.com\/files\/\$\{params\.path\}[\s\S]*- zuplo-unmapped-path-files-path/);
    const { errors } = await compile({ root: project, check: true, typecheck: false });
    const text = errors.map((error) => error.format()).join("\n");
    expect(text).toMatch(/zuplo-unmapped\/cache\.ts[\s\S]*zuplo-unmapped\/post--lambda-handler\.ts/);
    expect(text).toContain("zuplo-unmapped/path-files-path.ts");
    expect(text).toMatch(/modules\/chained\.ts:4:[\s\S]*context\.invokeInboundPolicy\.ts/);
    expect(text).toMatch(/modules\/chained\.ts:6:[\s\S]*context\.addResponseSendingHook\.ts/);
    expect(text).toContain("ZuploServices");
    expect(errors).toHaveLength(6);
  });
});
