import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { closedPort } from "../../test/support/upstream.ts";

const bin = fileURLToPath(new URL("../../bin/portico.js", import.meta.url).href);

function quota(args: string[], env: Record<string, string | undefined> = {}) {
  const run = spawnSync(process.execPath, [bin, "quota", ...args], {
    encoding: "utf8",
    env: { ...process.env, PORTICO_ADMIN_TOKEN: undefined, NO_COLOR: "1", ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

// A gateway answering is shown end to end against the real `npm run dev` (test/node/dev-server.test.ts).
describe("portico quota", () => {
  it("says what is missing, where and how to fix it, before asking anything", () => {
    const noToken = quota(["show", "acme"]);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toBe(
      "✘ ERROR: No admin token.\n  at --token, $PORTICO_ADMIN_TOKEN\n  fix: pass --token <token> or set PORTICO_ADMIN_TOKEN to the gateway's PORTICO_ADMIN_TOKEN (in .dev.vars for `npm run dev`).\n",
    );
    expect(quota(["show"], { PORTICO_ADMIN_TOKEN: "t" }).stderr).toContain("quota show needs the consumer id.");
    expect(quota(["reset", "acme"]).stderr).toContain('Unknown command "quota reset"');
    expect(quota(["show", "acme", "--token", "t", "--url", "not a url"]).stderr).toContain('"not a url" is not a URL.\n  at --url');
  });

  it("names the address of a gateway that cannot be reached", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { code, stderr } = quota(["show", "acme", "--url", url], { PORTICO_ADMIN_TOKEN: "t" });
    expect(code).toBe(1);
    expect(stderr).toContain(`✘ ERROR: The gateway at ${url} cannot be reached (ECONNREFUSED).`);
    expect(stderr).toContain("fix: start it with `npm run dev`, or give its address with --url.");
  });

  it("never sends the admin token in clear text to another machine", () => {
    const { code, stderr } = quota(["show", "acme", "--url", "http://gateway.example.com"], { PORTICO_ADMIN_TOKEN: "t" });
    expect(code).toBe(1);
    expect(stderr).toContain("http://gateway.example.com is not HTTPS: the admin token would travel in clear text.");
  });

  it("--help shows the command and where the token comes from", () => {
    const { code, stdout } = quota(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("portico quota show <consumer> [--url <gateway>] [--token <token>] [--json]");
    expect(stdout).toContain(".dev.vars");
  });
});
