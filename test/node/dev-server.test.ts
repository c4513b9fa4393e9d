/**
 * The real `npm run dev` (wrangler dev on workerd) on a free port, in a copy of
 * the project: workerd refuses code generation from strings, which only a real
 * server catches, and a change to the spec must show without a restart. The copy
 * has one operation more, whose policy throws, as a policy with a bug does.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevServer, waitFor, type DevServer } from "../support/dev-server.ts";

const root = fileURLToPath(new URL("../..", import.meta.url).href);
const adminToken = `dev-admin-${crypto.randomUUID()}`;
const failingPolicy = `import { definePolicy } from "portico";

/** Throws on every request. */
export default definePolicy({
  inbound() {
    throw new Error("the failing policy failed");
  },
});
`;
const failingOperation = `  /failing:
    get:
      operationId: failing
      x-portico: { handler: mock, inbound: [./policies/failing.ts] }
      responses:
        "200": { description: Never answered. }
`;
// Where the gateway's view of the client's address shows: the headers a handler gets, an
// ip-filter and a rate limit by address.
const echoHandler = `import { defineHandler } from "portico";

/** Answers with the request headers the handler gets. */
export default defineHandler({
  handle(request) {
    return Response.json(Object.fromEntries(request.headers));
  },
});
`;
const addressOperations = `  /headers:
    get:
      operationId: echoHeaders
      security: []
      x-portico: { handler: ./policies/echo-headers.ts }
      responses:
        "200": { description: The headers the handler got. }
  /office:
    get:
      operationId: office
      security: []
      x-portico: { handler: mock, inbound: [{ use: ip-filter, options: { allow: ["203.0.113.0/24"] } }] }
      responses:
        "200": { description: In the office., content: { application/json: { example: { office: true } } } }
  /by-address:
    get:
      operationId: byAddress
      security: []
      x-portico: { handler: mock, inbound: [{ use: rate-limit, options: { limit: 1, window: 60, by: ip } }] }
      responses:
        "200": { description: Once a minute an address., content: { application/json: { example: { once: true } } } }
`;
let dev: DevServer;
let project: string;
let base: string;

const until = <T>(what: string, probe: () => Promise<T | undefined>, ms: number) => waitFor(dev, what, probe, ms);

beforeAll(async () => {
  dev = await startDevServer({
    prepare: (copy) => {
      // wrangler dev reads the Worker's secrets from .dev.vars.
      writeFileSync(join(copy, ".dev.vars"), `PORTICO_ADMIN_TOKEN=${adminToken}\n`);
      writeFileSync(join(copy, "policies/failing.ts"), failingPolicy);
      writeFileSync(join(copy, "policies/echo-headers.ts"), echoHandler);
      const spec = join(copy, "openapi/openapi.yaml");
      writeFileSync(spec, readFileSync(spec, "utf8").replace("\npaths:\n", `\npaths:\n${failingOperation}${addressOperations}`));
    },
  });
  ({ project, base } = dev);
}, 120_000);

afterAll(() => dev?.stop());

describe("npm run dev", () => {
  it("prints the local URLs once, after wrangler is ready, on the port it was given", async () => {
    const printed = stripVTControlCharacters(
      await until("the local URLs", async () => (dev.output().includes("Portico is running:") ? dev.output() : undefined), 10_000),
    );
    expect(printed.indexOf("Portico is running:")).toBeGreaterThan(printed.indexOf(`Ready on ${base}`));
    expect(printed).toContain(`Portico is running:\n  gateway  ${base}/v1\n`);
    expect(printed.split("Portico is running:")).toHaveLength(2);
    expect(printed).toContain(`  portal   ${base}/docs\n`);
    expect((await fetch(`${base}/docs/`)).status).toBe(200);
  });

  it("does not print wrangler's failed lookup of request.cf data when offline", () => {
    expect(dev.output()).not.toContain("ENOTFOUND");
  });

  it("serves a mocked route of the example", async () => {
    const response = await fetch(`${base}/v1/exhibits`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
    expect(((await response.json()) as { items: unknown[] }).items).toHaveLength(2);
  });

  it("serves the user handler of policies/ to a consumer made by `portico keys create` while it runs", async () => {
    expect((await fetch(`${base}/v1/tickets/tk-9/qr`)).status).toBe(401);
    const created = execFileSync(process.execPath, [join(root, "bin/portico.js"), "keys", "create", "--consumer", "visitor", "--json", "--root", project], {
      encoding: "utf8",
    });
    const { key } = JSON.parse(created) as { key: string };
    const authorization = `Basic ${Buffer.from(`visitor:${key}`).toString("base64")}`;
    expect(await (await fetch(`${base}/v1/tickets/tk-9/qr`, { headers: { authorization } })).json()).toEqual({ ticketId: "tk-9", code: "MUSEUM-TK-9" });
  });

  it("`portico quota show` reads a consumer's quota from the running gateway", async () => {
    const created = execFileSync(
      process.execPath,
      [join(root, "bin/portico.js"), "keys", "create", "--consumer", "quota-visitor", "--json", "--root", project],
      { encoding: "utf8" },
    );
    const { key } = JSON.parse(created) as { key: string };
    for (let i = 0; i < 3; i++) {
      const bought = await fetch(`${base}/v1/tickets`, {
        method: "POST",
        headers: { "x-api-key": key, "content-type": "application/json" },
        body: JSON.stringify({ date: "2026-12-01", type: "adult" }),
      });
      expect(bought.status).toBe(201);
      expect(bought.headers.get("ratelimit-policy")).toContain('"daily-tickets";q=1000;w=86400');
    }
    const show = (args: string[]) =>
      spawnSync(process.execPath, [join(root, "bin/portico.js"), "quota", "show", "quota-visitor", "--url", base, ...args], {
        encoding: "utf8",
        env: { ...process.env, PORTICO_ADMIN_TOKEN: adminToken, NO_COLOR: "1" },
      });
    const midnight = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 86_400_000).toISOString().replace(".000Z", "Z");
    const table = show([]);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/POLICY\s+PERIOD\s+USED \/ LIMIT\s+REMAINING\s+RESETS AT/);
    expect(table.stdout).toMatch(new RegExp(`daily-tickets\\s+day\\s+3 / 1000\\s+997\\s+${midnight}`));
    const json = show(["--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      consumer: "quota-visitor",
      quotas: [{ policy: "daily-tickets", period: "day", limit: 1000, used: 3, remaining: 997 }],
    });
    const refused = show(["--token", "not-the-token"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("does not answer quota requests with this token (404)");
    expect(refused.stderr).toContain("fix: set PORTICO_ADMIN_TOKEN on the gateway");
  });

  it("answers problem+json for an unknown route, its type a section of the portal's errors page", async () => {
    const response = await fetch(`${base}/v1/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const { type } = (await response.json()) as { type: string };
    expect(type).toBe("/docs/errors#not-found");
    // The type resolves against the gateway's own address, to the page the portal serves.
    const page = await fetch(new URL(type, `${base}/v1/nope`));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="not-found"');
  });

  it("logs a policy's throw with its stack mapped to policies/, and tells the client nothing of it", async () => {
    const response = await fetch(`${base}/v1/failing`);
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = await response.text();
    expect(body).not.toContain("failing policy");
    expect(body).not.toContain("policies/");
    const line = failingPolicy.split("\n").findIndex((text) => text.includes("throw")) + 1;
    const mapped = new RegExp(`^\\s+at .*policies/failing\\.ts:${line}:\\d+`, "m");
    const printed = await until("the mapped stack", async () => stripVTControlCharacters(dev.output()).match(mapped)?.input, 10_000);
    // For machines, the JSON line is there too.
    expect(printed).toMatch(/\{"level":"error","message":"unhandled error",.*"errorMessage":"the failing policy failed"/);
  });

  it("keeps serving through a broken spec: 503 with the located errors, then recovers", { timeout: 90_000 }, async () => {
    const specFile = join(project, "openapi/openapi.yaml");
    const good = readFileSync(specFile, "utf8");
    const brokenLine = good.split("\n").indexOf("      operationId: getTicket") + 1;
    const portalPage = async () => (await fetch(`${base}/docs/operations/listExhibits.html`)).text();
    writeFileSync(specFile, good.replace("operationId: getTicket\n", "operationId: buyTicket\n"));
    const broken = await until(
      "the build-error answer",
      async () => {
        const response = await fetch(`${base}/v1/exhibits`);
        return response.status === 503 ? ((await response.json()) as { errors: Array<{ pointer: string }> }) : undefined;
      },
      60_000,
    );
    expect(broken.errors.map((e) => e.pointer)).toEqual(["/paths/~1tickets~1{ticketId}/get/operationId"]);
    // The portal is the last good build's: each page says so, and what fails.
    const stale = await until("the stale-portal notice", async () => ((await portalPage()).includes("data-stale-portal") ? portalPage() : undefined), 30_000);
    expect(stale).toContain("This portal is from the last good build;");
    expect(stale).toContain(`<code>openapi/openapi.yaml:${brokenLine}:`);
    writeFileSync(specFile, good);
    await until("recovery", async () => ((await fetch(`${base}/v1/exhibits`)).status === 200 ? true : undefined), 60_000);
    await until("the notice gone", async () => ((await portalPage()).includes("data-stale-portal") ? undefined : true), 30_000);
  });

  it("rebuilds and serves the change after the spec is saved", { timeout: 90_000 }, async () => {
    const specFile = join(project, "openapi/openapi.yaml");
    writeFileSync(
      specFile,
      readFileSync(specFile, "utf8").replace(
        "title: Starry Night Study, gallery: east, year: 1889, onShow: true }\n  /exhibits/{exhibitId}",
        "title: Changed While Running, gallery: east, year: 1889, onShow: true }\n  /exhibits/{exhibitId}",
      ),
    );
    const saved = Date.now();
    const title = await until(
      "the changed response",
      async () => {
        const body = (await (await fetch(`${base}/v1/exhibits/featured`)).json()) as { title: string };
        return body.title === "Changed While Running" ? body.title : undefined;
      },
      60_000,
    );
    expect(title).toBe("Changed While Running");
    console.log(`npm run dev: saved spec → changed response in ${Date.now() - saved} ms`);
  });
});

describe("npm run dev: the client's address, as Cloudflare's edge gives it", () => {
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}/v1${path}`, { headers });

  it("is the connection's, whatever CF-Connecting-IP the client sends", async () => {
    const seen = (await (await get("/headers", { "cf-connecting-ip": "203.0.113.5" })).json()) as Record<string, string>;
    expect(seen["cf-connecting-ip"]).toBe("127.0.0.1");
    expect((await get("/office", { "cf-connecting-ip": "203.0.113.5" })).status).toBe(403);
    expect((await get("/by-address", { "cf-connecting-ip": "198.51.100.1" })).status).toBe(200);
    // Another claimed address is still this connection's bucket.
    expect((await get("/by-address", { "cf-connecting-ip": "198.51.100.2" })).status).toBe(429);
  });

  it("drops what a Connection header names, as a proxy does", async () => {
    // fetch() refuses to send a Connection header of the caller's.
    const seen = await new Promise<Record<string, string>>((resolve, reject) => {
      const headers = { connection: "x-hop", "x-hop": "1", "x-kept": "1" };
      request(`${base}/v1/headers`, { headers }, (response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk)).on("end", () => resolve(JSON.parse(body) as Record<string, string>));
      })
        .on("error", reject)
        .end();
    });
    expect(seen["x-hop"]).toBeUndefined();
    expect(seen["x-kept"]).toBe("1");
  });

  it("is the client's own with PORTICO_DEV_TRUST_CLIENT_IP=1 in .dev.vars, for tests that simulate addresses", async () => {
    appendFileSync(join(project, ".dev.vars"), "PORTICO_DEV_TRUST_CLIENT_IP=1\n");
    const seen = (await (await get("/headers", { "cf-connecting-ip": "203.0.113.5" })).json()) as Record<string, string>;
    expect(seen["cf-connecting-ip"]).toBe("203.0.113.5");
    expect((await get("/office", { "cf-connecting-ip": "203.0.113.5" })).status).toBe(200);
    expect((await get("/by-address", { "cf-connecting-ip": "198.51.100.3" })).status).toBe(200);
    expect((await get("/by-address", { "cf-connecting-ip": "198.51.100.4" })).status).toBe(200);
    // A client that claims none is still counted by its connection.
    expect((await get("/office")).status).toBe(403);
  });
});
