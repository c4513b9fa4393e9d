import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../../test/support/temp-project.ts";
import { compile } from "../compile.ts";
import { planSelfServe } from "./self-serve.ts";

const keyed = spec(
  `  /things:
    get:
      operationId: listThings
      x-portico:
        inbound: [{ use: rate-limit, options: { limit: 50, window: 60, by: consumer, tiers: { gold: { limit: 500 } } } }]
      responses: { "200": { description: ok } }`,
  `x-portico: { handler: mock }
security: [{ key: [] }]
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: X-Key }`,
);

const WRANGLER = `name = "t"
compatibility_date = "2026-11-01"
[assets]
directory = "./dist/portal"
binding = "ASSETS"
run_worker_first = ["/docs/login", "/docs/callback", "/docs/logout", "/docs/keys"]
[[kv_namespaces]]
binding = "CONSUMERS"
`;

const AUTH = `auth:
  issuer: https://id.example.com
  clientId: portal
  clientSecret: \${env.PORTAL_CLIENT_SECRET}
`;

async function planOf(files: Record<string, string>) {
  const root = tempProject({ "openapi/openapi.yaml": keyed, "wrangler.toml": WRANGLER, ...files });
  const result = await compile({ root, check: true });
  return { result, plan: result.plan && planSelfServe(root, result.plan.document, result.plan.paths) };
}

describe("consumers' self-service at build time", () => {
  it("mounts the consumers admin routes for a scheme reading CONSUMERS, and the portal pages only with auth", async () => {
    const { plan } = await planOf({});
    expect(plan?.admin.map((entry) => entry.name)).toEqual(["consumers"]);
    expect(plan?.mounts).toEqual([]);
    const open = tempProject({
      "openapi/openapi.yaml": spec(`  /a: { get: { operationId: a, responses: { "200": { description: ok } } } }`, "x-portico: { handler: mock }"),
    });
    const result = await compile({ root: open, check: true });
    expect(planSelfServe(open, result.plan!.document, result.plan!.paths).admin).toEqual([]);
  });

  it("gives the pages the limits per tier, how to send a key and the prefix of consumer ids", async () => {
    const { result, plan } = await planOf({ "portal/portal.config": AUTH });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.message).filter((m) => m.includes("portal"))).toEqual([]);
    expect(plan?.mounts[0].config).toMatchObject({
      basePath: "/docs",
      auth: { issuer: "https://id.example.com", clientId: "portal", clientSecret: "${env.PORTAL_CLIENT_SECRET}" },
      consumerPrefix: "portal:",
      binding: "CONSUMERS",
      placement: { in: "header", name: "X-Key" },
      limits: [{ kind: "rate-limit", limit: 50, per: "60 s", tiers: { gold: 500 }, operations: ["listThings"] }],
    });
  });

  it("fails the build on a plain-http issuer elsewhere than localhost and on a secret written in the file", async () => {
    const { result } = await planOf({ "portal/portal.config": "auth: { issuer: http://id.example.com, clientId: portal, clientSecret: hunter2 }\n" });
    expect(result.errors.map((e) => [e.location.file, e.location.pointer])).toEqual([
      ["portal/portal.config", "/auth/issuer"],
      ["portal/portal.config", "/auth/clientSecret"],
    ]);
    expect(result.errors[1].hint).toContain("${env.PORTAL_CLIENT_SECRET}");
    const local = await planOf({ "portal/portal.config": AUTH.replace("https://id.example.com", "http://127.0.0.1:9000") });
    expect(local.result.errors).toEqual([]);
  });

  it("warns when wrangler.toml would let the static portal answer the pages", async () => {
    const root = tempProject({
      "openapi/openapi.yaml": keyed,
      "wrangler.toml": WRANGLER.replace(/run_worker_first.*\n/, 'run_worker_first = ["/docs/login"]\n'),
      "portal/portal.config": AUTH,
    });
    const { warnings } = await compile({ root, check: true });
    const warning = warnings.find((w) => w.message.includes("run_worker_first") || w.hint.includes("run_worker_first"));
    expect(warning?.hint).toBe('Add to [assets]: run_worker_first = ["/docs/callback","/docs/logout","/docs/keys"]');
  });
});
