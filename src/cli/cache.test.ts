import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { tempProject } from "../../test/support/temp-project.ts";
import { closedPort } from "../../test/support/upstream.ts";

const bin = fileURLToPath(new URL("../../bin/portico.js", import.meta.url).href);
const ADMIN_TOKEN = "dev-admin-token-0123456789abcdef0123";

interface Asked {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** A server on 127.0.0.1 that records what it is asked and answers with the status and body given. */
async function serve(status: number, body: unknown): Promise<{ base: string; asked: Asked[] }> {
  const asked: Asked[] = [];
  server = createServer((req: IncomingMessage, res) => {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => {
      asked.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, contentType: req.headers["content-type"], body: text });
      res.writeHead(status, { "content-type": status >= 400 ? "application/problem+json" : "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((listening) => server!.listen(0, "127.0.0.1", listening));
  return { base: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, asked };
}

/** Runs `portico cache` as a user would, without blocking the server the test runs. */
function cache(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, "cache", ...args], { env: { ...process.env, PORTICO_ADMIN_TOKEN: undefined, NO_COLOR: "1", ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((done) => child.on("close", (code) => done({ code, stdout, stderr })));
}

// The purge itself, and the 404 everyone without the token gets, are tested in workerd (src/policies/cache/purge.test.ts).
describe("portico cache purge", () => {
  it("posts the route with the token of .dev.vars and says what it did", async () => {
    const { base, asked } = await serve(200, { route: "getExhibit", generation: 3 });
    const root = tempProject({ ".dev.vars": `PORTICO_ADMIN_TOKEN=${ADMIN_TOKEN}\n` });
    const { code, stdout } = await cache(["purge", "--route", "getExhibit", "--gateway", base, "--root", root]);
    expect(code).toBe(0);
    expect(asked).toEqual([
      { method: "POST", url: "/_portico/cache/purge", authorization: `Bearer ${ADMIN_TOKEN}`, contentType: "application/json", body: '{"route":"getExhibit"}' },
    ]);
    expect(stdout).toBe(`Purged the cached answers of route getExhibit (the gateway at ${base}): the next request for them goes to the upstream.\n`);
  });

  it("posts a tag, and --json prints the gateway's answer", async () => {
    const { base, asked } = await serve(200, { tag: "catalogue", generation: 1 });
    const { code, stdout } = await cache(["purge", "--tag", "catalogue", "--gateway", base, "--json"], { PORTICO_ADMIN_TOKEN: ADMIN_TOKEN });
    expect(code).toBe(0);
    expect(asked[0].body).toBe('{"tag":"catalogue"}');
    expect(JSON.parse(stdout)).toEqual({ tag: "catalogue", generation: 1 });
  });

  it("prints the gateway's problem for an unknown route or tag, with the ones it knows", async () => {
    const detail = 'No operation with the operationId "getExhibt" has a cache policy. Cached routes: getExhibit, listExhibits.';
    const { base } = await serve(404, { type: "about:blank", title: "Not Found", status: 404, detail, routes: ["getExhibit", "listExhibits"] });
    const { code, stderr } = await cache(["purge", "--route", "getExhibt", "--gateway", base], { PORTICO_ADMIN_TOKEN: ADMIN_TOKEN });
    expect(code).toBe(1);
    expect(stderr).toBe(`✘ ERROR: ${detail}\n  at --route\n  fix: give one of: getExhibit, listExhibits.\n`);
  });

  it("says what a bare 404 means: the token, or no cache", async () => {
    const { base } = await serve(404, { type: "about:blank", status: 404, detail: "No operation matches POST /_portico/cache/purge." });
    const { code, stderr } = await cache(["purge", "--tag", "catalogue", "--gateway", base], { PORTICO_ADMIN_TOKEN: ADMIN_TOKEN });
    expect(code).toBe(1);
    expect(stderr).toContain(`✘ ERROR: The gateway at ${base} answered 404 to POST /_portico/cache/purge: its admin routes are closed to this token`);
    expect(stderr).toContain("fix: set PORTICO_ADMIN_TOKEN, at least 32 characters, in .dev.vars");
  });

  it("says what is missing or wrong before asking anything", async () => {
    const root = tempProject({});
    const token = { PORTICO_ADMIN_TOKEN: ADMIN_TOKEN };
    expect((await cache(["purge", "--route", "getExhibit", "--root", root])).stderr).toContain("✘ ERROR: No admin token.");
    expect((await cache(["purge"], token)).stderr).toContain("✘ ERROR: cache purge needs one of --route and --tag.");
    expect((await cache(["purge", "--route", "a", "--tag", "b"], token)).stderr).toContain("cache purge needs one of --route and --tag.");
    expect((await cache(["clear"], token)).stderr).toContain('Unknown command "cache clear"');
    expect((await cache(["purge", "--route", "a", "--gateway", "http://gateway.example.com"], token)).stderr).toContain(
      "http://gateway.example.com is not HTTPS: the admin token would travel in clear text.",
    );
    const json = await cache(["purge", "--json"], token);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, errors: [{ message: "cache purge needs one of --route and --tag." }] });
  });

  it("names the address of a gateway that cannot be reached", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { code, stderr } = await cache(["purge", "--route", "a", "--gateway", url], { PORTICO_ADMIN_TOKEN: ADMIN_TOKEN });
    expect(code).toBe(1);
    expect(stderr).toContain(`✘ ERROR: The gateway at ${url} cannot be reached (ECONNREFUSED).`);
  });

  it("--help shows both forms and where the token comes from", async () => {
    const { code, stdout } = await cache(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("portico cache purge --route <operationId> [--gateway <url>] [--json]");
    expect(stdout).toContain("portico cache purge --tag <tag> [--gateway <url>] [--json]");
    expect(stdout).toContain(".dev.vars");
  });
});
