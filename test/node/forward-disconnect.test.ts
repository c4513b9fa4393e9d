/**
 * forward over a real socket: a client that goes away while the upstream is
 * still working ends the upstream's request too, so an upstream does not work
 * on for nobody. The gateway is bundled and served by workerd on a socket of
 * its own (as `workerd serve` listens, with the compatibility flags of the
 * project's wrangler.toml): `wrangler dev` does not pass a client's reset on to
 * the Worker, its proxy keeps the Worker's request going.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request, type ClientRequest } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { parse } from "smol-toml";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildBundle } from "../../bench/lib/gateway.ts";
import { spec, tempProject } from "../support/temp-project.ts";
import { startUpstream } from "../support/upstream.ts";
import type { GroupLog } from "../support/upstream-groups.ts";

const root = fileURLToPath(new URL("../..", import.meta.url).href);

/** Forwarded to the upstream's held route, which never answers. */
const HELD = `  /held/{run}:
    get:
      parameters: [{ name: run, in: path, required: true, schema: { type: string } }]
      x-portico:
        handler: { use: forward, options: { url: "\${env.UPSTREAM_URL}/groups/a/held/\${params.run}?wait=1" } }
      responses: { "200": { description: Never answered. } }`;

let upstream: Awaited<ReturnType<typeof startUpstream>>;
let mf: Miniflare | undefined;
let base: URL;
let work: string;
let project: string;

beforeAll(async () => {
  upstream = await startUpstream();
  project = tempProject({ "openapi/openapi.yaml": spec(HELD) });
  work = mkdtempSync(join(tmpdir(), "portico-disconnect-"));
  const bundle = await buildBundle(project, work);
  const { compatibility_date, compatibility_flags } = parse(readFileSync(join(root, "wrangler.toml"), "utf8")) as Record<string, any>;
  mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      scriptPath: bundle,
      modulesRoot: dirname(bundle),
      compatibilityDate: compatibility_date,
      compatibilityFlags: compatibility_flags,
      bindings: { UPSTREAM_URL: `http://127.0.0.1:${upstream.port}` },
      host: "127.0.0.1",
      port: 0,
      unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
      handleStructuredLogs: () => {},
    }),
  );
  await mf.ready;
  base = await mf.unsafeGetDirectURL();
}, 120_000);

afterAll(async () => {
  await mf?.dispose();
  upstream?.server.closeAllConnections();
  await new Promise((resolve) => upstream?.server.close(resolve));
  for (const dir of [work, project]) if (dir) rmSync(dir, { recursive: true, force: true });
});

async function logOf(path: string): Promise<GroupLog> {
  const response = await fetch(`http://127.0.0.1:${upstream.port}/groups-log?path=${encodeURIComponent(path)}`);
  return (await response.json()) as GroupLog;
}

/** Polls `probe` every 50 ms for at most `ms`; whether it came true. */
async function within(ms: number, probe: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

it("ends the upstream's request when the client resets its connection", async () => {
  const path = `/held/${crypto.randomUUID()}`;
  let client: ClientRequest | undefined;
  try {
    client = request(new URL(path, base));
    client.on("error", () => {}); // the reset below
    client.end();
    expect(await within(20_000, async () => (await logOf(path)).hits === 1)).toBe(true);
    expect((await logOf(path)).closed).toBe(false);
    // A reset is a client gone; a half-close (FIN) can be one still waiting for its answer.
    client.socket!.resetAndDestroy();
    expect(await within(10_000, async () => (await logOf(path)).closed)).toBe(true);
  } finally {
    client?.destroy();
  }
}, 60_000);
