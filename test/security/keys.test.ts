/**
 * A. Authentication, API keys and who the upstream is told the caller is
 * (A9–A11): one answer for every bad key, only the key's hash at rest, OR/AND
 * and scopes as the document says, and no identity a client can claim itself.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiKeyFromBody, generateApiKey, API_KEY_PREFIX, API_KEY_BODY_LENGTH } from "../../src/policies/authenticate/key-format.ts";
import { devOutput, expectProblem, expectRefused, headerOf, send, suite, tag, upstreamSaw } from "./support/gateway.ts";
import { head, rawExchange } from "./support/raw-http.ts";
import { token } from "./support/tokens.ts";

const { alice, bob, carol } = suite.consumers;
const bearer = async (overrides: Record<string, unknown> = {}) => `Bearer ${await token(overrides)}`;

/** The key with one character of its body changed and its checksum made right again: well-formed, and nobody's. */
function oneCharacterOff(key: string): string {
  const body = key.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + API_KEY_BODY_LENGTH);
  return apiKeyFromBody(`${body.slice(0, -1)}${body.at(-1) === "a" ? "b" : "a"}`);
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe("A. Authentication: API keys and consumers", () => {
  it("A9: unknown, mistyped, one-off, empty or repeated keys, and keys in the query where a header is declared → one identical 401", async () => {
    const caseTag = tag("A9");
    const attempts: Array<[string, string, Record<string, string>]> = [
      ["unknown well-formed key", "/key", { "x-api-key": generateApiKey() }],
      ["last character changed", "/key", { "x-api-key": `${alice.slice(0, -1)}${alice.at(-1) === "A" ? "B" : "A"}` }],
      ["one character off, checksum right", "/key", { "x-api-key": oneCharacterOff(alice) }],
      ["in lower case", "/key", { "x-api-key": alice.toLowerCase() }],
      ["not a key", "/key", { "x-api-key": "hunter2" }],
      ["empty", "/key", { "x-api-key": "" }],
      ["twice", "/key", { "x-api-key": `${alice}, ${alice}` }],
      ["under another header", "/key", { "x-api-token": alice }],
      ["in the query", `/key?X-API-Key=${alice}`, {}],
      ["in the query as api_key", `/key?api_key=${alice}`, {}],
    ];
    const answers = new Map<string, string>();
    for (const [name, path, headers] of attempts) {
      const answer = await send(path, { headers, tag: caseTag });
      expect(answer.status, name).toBe(401);
      expectRefused(answer);
      const { requestId: _, traceId: ___, instance: __, ...body } = answer.json();
      answers.set(name, `${answer.headers.get("www-authenticate")} ${JSON.stringify(body)}`);
    }
    expect(new Set(answers.values()).size, [...answers].join("\n")).toBe(1);
    expect(await upstreamSaw(caseTag)).toHaveLength(0);
  });

  it("A9: only the key's SHA-256 reaches KV; the key itself is in no file of the local KV store and in no log line", async () => {
    expect((await send("/key", { headers: { "x-api-key": alice } })).status).toBe(200);
    const hash = createHash("sha256").update(alice).digest("hex");
    // The KV namespace alone: wrangler's local trace store keeps whole request URLs, query keys included.
    const files = filesUnder(join(suite.project, ".wrangler/state/v3/kv")).map((file) => readFileSync(file));
    expect(files.some((bytes) => bytes.includes(hash))).toBe(true);
    expect(files.filter((bytes) => bytes.includes(alice))).toHaveLength(0);
    expect(await devOutput()).not.toContain(alice);
  });

  it("A10: OR lets either credential in, AND needs both, [] needs none", async () => {
    const statuses = {
      "either, key": (await send("/either", { headers: { "x-api-key": alice } })).status,
      "either, token": (await send("/either", { headers: { authorization: await bearer() } })).status,
      "either, neither": (await send("/either")).status,
      "either, a bad key beside a good token": (await send("/either", { headers: { "x-api-key": "hunter2", authorization: await bearer() } })).status,
      "both, key": (await send("/both", { headers: { "x-api-key": alice } })).status,
      "both, token": (await send("/both", { headers: { authorization: await bearer() } })).status,
      "both, key and token": (await send("/both", { headers: { "x-api-key": alice, authorization: await bearer() } })).status,
      "both, key and a bad token": (await send("/both", { headers: { "x-api-key": alice, authorization: "Bearer x.y.z" } })).status,
      "open, nothing": (await send("/public")).status,
      "basic, id and key": (await send("/basic", { headers: { authorization: `Basic ${btoa(`alice:${alice}`)}` } })).status,
      "basic, key alone": (await send("/basic", { headers: { authorization: `Basic ${btoa(`${alice}:`)}` } })).status,
      "basic, another's id": (await send("/basic", { headers: { authorization: `Basic ${btoa(`bob:${alice}`)}` } })).status,
      "basic, no password": (await send("/basic", { headers: { authorization: `Basic ${btoa("alice:")}` } })).status,
    };
    expect(statuses).toEqual({
      "either, key": 200,
      "either, token": 200,
      "either, neither": 401,
      "either, a bad key beside a good token": 200,
      "both, key": 401,
      "both, token": 401,
      "both, key and token": 200,
      "both, key and a bad token": 401,
      "open, nothing": 200,
      "basic, id and key": 200,
      "basic, key alone": 200,
      "basic, another's id": 401,
      "basic, no password": 401,
    });
  });

  it("A10: a missing OAuth scope or role → 403 insufficient_scope, 0 upstream hits; the scope present → 200", async () => {
    const caseTag = tag("A10");
    for (const scope of ["write:things", "read:things2", "READ:THINGS", "", undefined]) {
      const answer = await send("/scoped", { headers: { authorization: await bearer({ scope }) }, tag: caseTag });
      expectProblem(answer, 403);
      expect(answer.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    }
    expectProblem(await send("/key-scoped", { headers: { "x-api-key": alice }, tag: caseTag }), 403);
    expect(await upstreamSaw(caseTag)).toHaveLength(0);
    expect((await send("/scoped", { headers: { authorization: await bearer({ scope: "write:things read:things" }) } })).status).toBe(200);
    expect((await send("/key-scoped", { headers: { "x-api-key": carol } })).status).toBe(200);
  });

  it("A11: a client's consumer headers, in any case and with underscores, never reach the upstream; the gateway's own do", async () => {
    const spoofs = {
      "X-Consumer-Id": "admin",
      "x-consumer-tier": "enterprise",
      "X-CONSUMER-SCOPES": "admin",
      X_Consumer_Id: "admin",
      "x_consumer-tier": "enterprise",
      "X-Consumer_Scopes": "admin",
    };
    const consumerHeaders = (record: { headers: Array<[string, string]> }) => record.headers.filter(([name]) => /^x[-_]consumer[-_]/.test(name));
    const open = tag("A11");
    expect((await send("/public", { headers: spoofs, tag: open })).status).toBe(200);
    expect(consumerHeaders((await upstreamSaw(open))[0])).toEqual([]);
    const keyed = tag("A11");
    expect((await send("/key", { headers: { ...spoofs, "x-api-key": bob }, tag: keyed })).status).toBe(200);
    expect(consumerHeaders((await upstreamSaw(keyed))[0])).toEqual([
      ["x-consumer-id", "bob"],
      ["x-consumer-tier", "free"],
    ]);
  });

  it("A11: consumer headers smuggled in malformed header lines never reach the upstream as the consumer", async () => {
    const lines = ["X-Consumer-Id : admin", "X-Consumer-Id\t: admin", "X-Other: a\r\n X-Consumer-Id: admin", "X-Consumer-Id:admin", " X-Consumer-Id: admin"];
    for (const line of lines) {
      const caseTag = tag("A11");
      const { statuses } = await rawExchange(head("GET /v1/public HTTP/1.1", [`x-case: ${caseTag}`, line, "Connection: close"]));
      const seen = await upstreamSaw(caseTag);
      // Refused outright, or passed on without the claim.
      if (statuses[0] === 200) expect(seen.flatMap((record) => record.headers).filter(([, value]) => value.includes("admin"))).toEqual([]);
      else expect(statuses[0], line).toBe(400);
    }
  });

  it("A11: the credential itself never reaches the upstream: no X-API-Key, Authorization, query key or key cookie", async () => {
    const caseTag = tag("A11");
    await send("/key", { headers: { "x-api-key": alice }, tag: caseTag });
    await send("/bearer", { headers: { authorization: await bearer() }, tag: caseTag });
    await send("/basic", { headers: { authorization: `Basic ${btoa(`alice:${alice}`)}` }, tag: caseTag });
    await send(`/query-key?before=1&api_key=${alice}&after=%20`, { tag: caseTag });
    await send("/cookie-key", { headers: { cookie: `theme=dark; session_key=${alice}; lang=en` }, tag: caseTag });
    const seen = await upstreamSaw(caseTag);
    expect(seen).toHaveLength(5);
    for (const record of seen) {
      expect(headerOf(record, "x-api-key")).toBeUndefined();
      expect(headerOf(record, "authorization")).toBeUndefined();
      expect(JSON.stringify(record)).not.toContain(alice);
    }
    expect(seen[3].target).toBe("/query-key?before=1&after=%20");
    expect(headerOf(seen[4], "cookie")).toBe("theme=dark; lang=en");
  });
});
