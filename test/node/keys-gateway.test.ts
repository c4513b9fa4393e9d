/**
 * `portico keys … --gateway <url>` against the real `npm run dev` of the example: the
 * commands go through the gateway's admin routes with the token of .dev.vars, and what
 * they make works against the API at once.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../support/dev-server.ts";
import { buyTicket } from "../support/example-project.ts";

const bin = fileURLToPath(new URL("../../bin/portico.js", import.meta.url).href);
const ADMIN_TOKEN = "keys-gateway-admin-token-0123456789";

describe("portico keys --gateway, against npm run dev", () => {
  let server: DevServer;

  beforeAll(async () => {
    server = await startDevServer({ prepare: (project) => writeFileSync(join(project, ".dev.vars"), `PORTICO_ADMIN_TOKEN=${ADMIN_TOKEN}\n`) });
  });
  afterAll(() => server?.stop());

  /** Runs `portico keys` as a user would, in the project folder (whose .dev.vars has the token). */
  function keys(args: string[], env: Record<string, string | undefined> = {}) {
    const run = spawnSync(process.execPath, [bin, "keys", ...args, "--gateway", server.base], {
      cwd: server.project,
      encoding: "utf8",
      env: { ...process.env, PORTICO_ADMIN_TOKEN: undefined, NO_COLOR: "1", ...env },
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  }
  const json = (args: string[]) => {
    const run = keys([...args, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout);
  };

  const buy = (key: string) => buyTicket(server.base, key);

  it("creates, lists, rotates and revokes through the admin routes", async () => {
    const created = json(["create", "--consumer", "acme", "--name", "ci", "--tier", "paid", "--scopes", "exhibits:write"]);
    expect(created).toMatchObject({ id: "acme", name: "ci", tier: "paid", scopes: ["exhibits:write"] });
    expect(await buy(created.key)).toBe(201);

    const listed = json(["list", "--consumer", "acme"]);
    expect(listed).toEqual([expect.objectContaining({ id: "acme", keyPreview: created.key.slice(0, 8), status: "active" })]);
    expect(JSON.stringify(listed)).not.toContain(created.key);

    const rotated = json(["rotate", "--consumer", "acme", "--grace", "1h"]);
    expect(rotated).toMatchObject({ id: "acme", tier: "paid", previous: [{ keyPreview: created.key.slice(0, 8), revoked: false }] });
    expect(await buy(rotated.key)).toBe(201);
    expect(await buy(created.key)).toBe(201);

    const table = keys(["list"]);
    expect(table.stdout).toMatch(/KEY\s+CONSUMER\s+NAME/);
    expect(table.stdout).toContain(`${rotated.key.slice(0, 8)}…`);

    const byPreview = keys(["revoke", "--preview", rotated.key.slice(0, 8)]);
    expect(byPreview.stdout).toBe(`Revoked 1 key(s) in the gateway at ${server.base}: ${rotated.key.slice(0, 8)}… (acme).\n`);
    expect(json(["revoke", created.key])).toEqual({ revoked: [expect.objectContaining({ consumer: "acme", keyPreview: created.key.slice(0, 8) })] });
    expect(json(["list", "--consumer", "acme"])).toEqual([]);
  });

  it("makes a key that a revocation stops at once when the gateway has not seen it yet", async () => {
    const { key } = json(["create", "--consumer", "unused"]);
    json(["revoke", "--consumer", "unused"]);
    expect(await buy(key)).toBe(401);
  });

  it("says so without a token, with a wrong one, and with --remote beside --gateway", () => {
    const none = keys(["list", "--root", "/nonexistent"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("No admin token.");
    const wrong = keys(["list"], { PORTICO_ADMIN_TOKEN: "wrong-token-wrong-token-wrong-token-0" });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("its admin routes are closed to this token");
    const mixed = keys(["list", "--remote"]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain("--local, --remote and --persist-to do not apply");
  });
});
