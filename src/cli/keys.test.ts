import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempProject } from "../../test/support/temp-project.ts";
import { isWellFormedApiKey } from "../policies/authenticate/key-format.ts";

const bin = fileURLToPath(new URL("../../bin/portico.js", import.meta.url).href);
const wranglerBin = fileURLToPath(new URL("../../node_modules/wrangler/bin/wrangler.js", import.meta.url).href);
const env = { ...process.env, NO_COLOR: "1", WRANGLER_HIDE_BANNER: "true", WRANGLER_SEND_METRICS: "false" };

const config = `name = "keys-test"
compatibility_date = "2026-11-01"
send_metrics = false
`;
const namespace = `
[[kv_namespaces]]
binding = "CONSUMERS"
id = "00000000000000000000000000000000"
`;
const root = tempProject({ "wrangler.toml": config + namespace });
const state = mkdtempSync(join(tmpdir(), "portico-keys-state-"));

function keys(...args: string[]) {
  const run = spawnSync(process.execPath, [bin, "keys", ...args, "--root", root, "--persist-to", state], { encoding: "utf8", env });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The stored value, read straight through wrangler. */
function storedValue(key: string) {
  const hash = createHash("sha256").update(key).digest("hex");
  const args = ["kv", "key", "get", `key:${hash}`, "--text", "--binding", "CONSUMERS", "--local", "--persist-to", state];
  const run = spawnSync(process.execPath, [wranglerBin, ...args], { cwd: root, encoding: "utf8", env });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

interface Listed {
  id: string;
  keyPreview: string;
  expiresAt: string | null;
  status: string;
}

function listed(): Listed[] {
  const { code, stdout, stderr } = keys("list", "--json");
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout);
}

// Each command starts wrangler once or more, a second or two each.
describe("portico keys", { timeout: 60_000 }, () => {
  let first: string;
  let second: string;

  it("create prints the key once and stores only its SHA-256", () => {
    const { code, stdout, stderr } = keys(
      "create",
      "--consumer",
      "acme",
      "--name",
      "Acme Corp",
      "--tier",
      "gold",
      "--scopes",
      "exhibits:read,tickets:write",
      "--metadata",
      '{"plan":"pro"}',
      "--expires",
      "30d",
      "--json",
    );
    expect(code, stderr).toBe(0);
    const created = JSON.parse(stdout);
    first = created.key;
    expect(isWellFormedApiKey(first)).toBe(true);
    expect(Date.parse(created.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);

    expect(storedValue(first)).toMatchObject({
      id: "acme",
      name: "Acme Corp",
      tier: "gold",
      scopes: ["exhibits:read", "tickets:write"],
      metadata: { plan: "pro" },
      keyPreview: first.slice(0, 8),
      expiresAt: created.expiresAt,
    });
    const holding = (text: string) => filesUnder(state).filter((file) => readFileSync(file).includes(Buffer.from(text)));
    // The search does find what is stored: the hash is the KV key's name.
    expect(holding(createHash("sha256").update(first).digest("hex"))).not.toEqual([]);
    expect(holding(first.slice(4))).toEqual([]);
  });

  it("list shows the preview, never the key or its hash", () => {
    const { code, stdout } = keys("list");
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`${first.slice(0, 8)}…\\s+acme\\s+Acme Corp\\s+gold\\s+exhibits:read,tickets:write\\s+\\d{4}-.*active`));
    expect(stdout).not.toContain(first.slice(8));
    expect(stdout).not.toContain(createHash("sha256").update(first).digest("hex").slice(0, 16));
  });

  it("rotate issues a working key with the same record; the old one expires after the grace", () => {
    const { code, stdout, stderr } = keys("rotate", "--consumer", "acme", "--grace", "2h", "--json");
    expect(code, stderr).toBe(0);
    const rotated = JSON.parse(stdout);
    second = rotated.key;
    expect(isWellFormedApiKey(second)).toBe(true);
    expect(second).not.toBe(first);
    expect(storedValue(second)).toMatchObject({
      id: "acme",
      tier: "gold",
      scopes: ["exhibits:read", "tickets:write"],
      metadata: { plan: "pro" },
      expiresAt: null,
    });

    const byPreview = new Map(listed().map((entry) => [entry.keyPreview, entry]));
    const old = byPreview.get(first.slice(0, 8))!;
    expect(Math.abs(Date.parse(old.expiresAt!) - (Date.now() + 2 * 3_600_000))).toBeLessThan(60_000);
    expect(old.status).toBe("active");
    expect(byPreview.get(second.slice(0, 8))).toMatchObject({ expiresAt: null, status: "active" });
  });

  it("revoke refuses a mistyped key", () => {
    const typo = second.slice(0, 20) + (second[20] === "a" ? "b" : "a") + second.slice(21);
    const { code, stderr } = keys("revoke", typo);
    expect(code).toBe(1);
    expect(stderr).toContain("✘ ERROR: That is not a Portico API key.");
    expect(stderr).toMatch(/fix: check the key for a typo/);
  });

  it("revoke removes a key from the list and keeps the others", () => {
    const { code, stdout, stderr } = keys("revoke", "--preview", first.slice(0, 8));
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`Revoked 1 key(s)`);
    expect(listed().map((entry) => entry.keyPreview)).toEqual([second.slice(0, 8)]);
  });

  it("a project without the namespace is told the stanza to add", () => {
    const bare = tempProject({ "wrangler.toml": config });
    const run = spawnSync(process.execPath, [bin, "keys", "list", "--root", bare, "--persist-to", state], { encoding: "utf8", env });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`at ${join(bare, "wrangler.toml")}`);
    expect(run.stderr).toMatch(/fix: declare the namespace in .*wrangler\.toml:\s+\[\[kv_namespaces\]\]\s+binding = "CONSUMERS"/);
  });
});
