/**
 * The MCP test gateway (test/fixtures/gateways/mcp) as it runs for real:
 * compiled into test/.generated/<name>, bundled by wrangler and served by
 * workerd through Miniflare on 127.0.0.1, with its rate limiter's Durable
 * Object, one consumer's API key in KV and the staff scheme's public key;
 * and clients of the official MCP SDK connected to it.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { importPKCS8, SignJWT } from "jose";
import { serveBundle } from "../../bench/lib/gateway.ts";
import { bundleEntry } from "../../bench/lib/workerd.ts";
import { compile } from "../../src/compiler/compile.ts";
import { generateApiKey } from "../../src/policies/authenticate/key-format.ts";

const root = fileURLToPath(new URL("../..", import.meta.url).href);

export interface McpGateway {
  /** The gateway's origin. */
  url: URL;
  /** The MCP server's URL. */
  mcp: URL;
  /** A consumer's API key (X-API-Key). */
  apiKey: string;
  /** A staff token (bearer, RS256) with these scopes. */
  staffToken(scopes: string[]): Promise<string>;
  /**
   * An MCP SDK client connected with these headers, closed with the gateway; with `revision`, it asks
   * for that revision in initialize, as an older client does. `sent`: each request's MCP-Protocol-Version.
   */
  connect(headers?: Record<string, string>, revision?: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport; sent: string[] }>;
  close(): Promise<void>;
}

/** A tool result's text. */
export const text = (result: object) => ((result as { content?: Array<{ text?: string }> }).content ?? []).map((item) => item.text ?? "").join("\n");

export async function serveMcpGateway(name: string): Promise<McpGateway> {
  const work = mkdtempSync(join(tmpdir(), `portico-${name}-`));
  const outDir = join(root, "test/.generated", name);
  const result = await compile({ root: join(root, "test/fixtures/gateways/mcp"), outDir });
  if (result.errors.length > 0) throw new Error(result.errors.map((error) => error.format()).join("\n"));
  const app = JSON.stringify(join(outDir, "app.ts"));
  writeFileSync(join(work, "worker.ts"), `export { default } from ${app};\nexport * from ${JSON.stringify(join(outDir, "durable-objects.ts"))};\n`);
  const { dir, modules } = await bundleEntry(join(work, "worker.ts"), work, `portico-${name}`);
  const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const apiKey = generateApiKey();
  const served = await serveBundle({
    bundle: join(dir, modules[0]),
    via: "direct",
    apiKey,
    bindings: { STAFF_PUBLIC_KEY: keys.publicKey.export({ type: "spki", format: "pem" }).toString() },
    durableObjects: { RATE_LIMITER: "RateLimiter" },
    durableStorage: "memory",
    onLog: () => {},
  });
  const privateKey = await importPKCS8(keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString(), "RS256");
  const mcp = new URL("/mcp", served.url);
  const clients: Client[] = [];
  return {
    url: served.url,
    mcp,
    apiKey,
    staffToken: (scopes) =>
      new SignJWT({ scope: scopes.join(" ") })
        .setProtectedHeader({ alg: "RS256" })
        .setIssuer("https://id.museum.example/")
        .setAudience("museum")
        .setSubject("curator")
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(privateKey),
    async connect(headers = {}, revision) {
      const sent: string[] = [];
      const fetching: typeof fetch = async (input, init) => {
        let body = init?.body;
        if (revision && typeof body === "string" && body.includes('"initialize"')) {
          body = body.replace(/"protocolVersion":"[^"]*"/, `"protocolVersion":"${revision}"`);
        }
        sent.push(new Headers(init?.headers).get("mcp-protocol-version") ?? "none");
        return fetch(input, { ...init, body });
      };
      const transport = new StreamableHTTPClientTransport(mcp, { requestInit: { headers }, fetch: fetching });
      const client = new Client({ name: "portico-test", version: "1.0.0" });
      await client.connect(transport);
      clients.push(client);
      return { client, transport, sent };
    },
    async close() {
      await Promise.all(clients.map((client) => client.close()));
      await served.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
