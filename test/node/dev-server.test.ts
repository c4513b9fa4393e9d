/**
 * The real `npm run dev` (wrangler dev on workerd) on a free port, in a copy of
 * the project: workerd refuses code generation from strings, which only a real
 * server catches, and a change to the spec must show without a restart.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../support/dev-server.ts";

const root = fileURLToPath(new URL("../..", import.meta.url).href);
const adminToken = `dev-admin-${crypto.randomUUID()}`;
let dev: DevServer;
let project: string;
let base: string;

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}; npm run dev said:\n${dev.output().slice(-3000)}`);
}

beforeAll(async () => {
  // wrangler dev reads the Worker's secrets from .dev.vars.
  dev = await startDevServer({ prepare: (copy) => writeFileSync(join(copy, ".dev.vars"), `PORTICO_ADMIN_TOKEN=${adminToken}\n`) });
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

  it("keeps serving through a broken spec: 503 with the located errors, then recovers", { timeout: 90_000 }, async () => {
    const specFile = join(project, "openapi/openapi.yaml");
    const good = readFileSync(specFile, "utf8");
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
    writeFileSync(specFile, good);
    await until("recovery", async () => ((await fetch(`${base}/v1/exhibits`)).status === 200 ? true : undefined), 60_000);
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
