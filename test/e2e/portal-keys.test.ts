/**
 * Self-serve API keys as a developer meets them: the real `npm run dev` with portal.config
 * `auth` pointing at a real OpenID Connect provider on 127.0.0.1 (oidc-provider), driven in
 * headless Chromium. Sign in, make a key and call the API with it, rotate with a grace,
 * revoke, and the refusals: another developer's keys, a forged or replayed session cookie,
 * a cross-site POST, a callback that did not start here. axe-core checks the keys page.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buyTicket } from "../support/example-project.ts";
import { startOidcProvider, type OidcProvider } from "../support/oidc-provider.ts";
import { runIf } from "../support/skips.ts";
import { axeViolations, chromiumPath, describeViolations, launchChromium, screenshot, startDevServer, type DevServer } from "./browser.ts";

const skipped = !existsSync(chromiumPath) && !process.env.CI;
const withChromium = runIf(!skipped, `${chromiumPath} is missing (sudo apt-get install -y chromium)`);
const CLIENT = { clientId: "portal", clientSecret: "portal-client-secret-for-tests" };
/** The gateway may trust a key it has read for 60 s (docs/portal.md); a revocation shows within that and a margin. */
const REVOCATION_MS = 75_000;

async function reservePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe(`self-serve keys in the portal${skipped ? " (skipped: no Chromium)" : ""}`, withChromium, () => {
  let server: DevServer;
  let provider: OidcProvider;
  let browser: Browser;
  let docs: string;
  let attacker: Server;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const providerPort = await reservePort();
    const issuer = `http://127.0.0.1:${providerPort}`;
    [server, browser] = await Promise.all([
      startDevServer({
        prepare(project) {
          // Usage per consumer in the UsageLedger, which the keys page shows.
          const spec = join(project, "openapi/openapi.yaml");
          writeFileSync(spec, readFileSync(spec, "utf8").replace(/^x-portico:\n/m, "x-portico:\n  telemetry: { usage: USAGE }\n"));
          const config = join(project, "portal/portal.config");
          writeFileSync(
            config,
            `${readFileSync(config, "utf8")}auth:\n  issuer: ${issuer}\n  clientId: ${CLIENT.clientId}\n  clientSecret: \${env.PORTAL_CLIENT_SECRET}\n  tier: free\n`,
          );
          writeFileSync(
            join(project, ".dev.vars"),
            `PORTAL_CLIENT_SECRET=${CLIENT.clientSecret}\nPORTICO_SESSION_SECRET=session-secret-for-the-tests-0123456789\nPORTICO_ADMIN_TOKEN=admin-token-for-the-tests-0123456789\n`,
          );
        },
      }),
      launchChromium(),
    ]);
    docs = `${server.base}/docs`;
    provider = await startOidcProvider({ ...CLIENT, redirectUris: [`${docs}/callback`] }, providerPort);
    attacker = createServer();
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await provider?.close();
    attacker?.close();
    server?.stop();
  });

  async function signIn(login: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${docs}/keys`);
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', "any password");
    await page.click('button[type="submit"]');
    await page.click('button:has-text("Continue")');
    await page.waitForURL(`${docs}/keys`);
    return { context, page };
  }

  const buy = (key: string) => buyTicket(server.base, key);

  async function createKey(page: Page, name: string): Promise<string> {
    await page.fill("#key-name", name);
    await page.click('button:has-text("Create key")');
    return (await page.locator("[data-new-key]").innerText()).trim();
  }

  /** A key's row, found by its preview (the name stays the same through a rotation). */
  const rowOf = (page: Page, key: string) => page.locator("tr[data-key-id]", { hasText: `${key.slice(0, 8)}…` });
  const keyIdOf = async (page: Page, key: string) => (await rowOf(page, key).getAttribute("data-key-id"))!;

  let alice: { context: BrowserContext; page: Page };
  let laptopKey: string;

  it("signs a developer in through the provider, onto their own keys page with their tier and limits", async () => {
    alice = await signIn("alice");
    const { page } = alice;
    expect(await page.locator("h1").innerText()).toBe("My keys");
    expect(await page.locator("[data-consumer]").innerText()).toBe("portal:alice");
    expect(await page.locator("[data-tier]").innerText()).toBe("free");
    // The example's per-consumer limit gives the free tier 100 a minute.
    expect(await page.locator("section", { hasText: "Your tier and limits" }).innerText()).toContain("100 per 60 s");
    expect(provider.tokens()).toBeGreaterThanOrEqual(1);
  });

  it("creates a key that works against the API at once, shown once", async () => {
    laptopKey = await createKey(alice.page, "laptop");
    expect(laptopKey).toMatch(/^ptk_[0-9A-Za-z]{36}$/);
    expect(await buy(laptopKey)).toBe(201);
    await alice.page.goto(`${docs}/keys`);
    expect(await alice.page.content()).not.toContain(laptopKey);
    expect(await rowOf(alice.page, laptopKey).innerText()).toMatch(/^laptop\b.*\bactive\b/s);
  });

  it("shows the developer's usage from the usage ledger", async () => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      await alice.page.goto(`${docs}/keys`);
      const usage = alice.page.locator("section", { hasText: "Usage, last 7 days" });
      if ((await usage.count()) > 0 && (await usage.innerText()).includes("buyTicket")) break;
      expect(Date.now(), "no usage row for buyTicket").toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });

  it("has no serious or critical accessibility violations on the keys page", async () => {
    await screenshot(alice.page, "keys");
    const violations = (await axeViolations(alice.page)).filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it("rotates a key: the new one works, the old one too during its grace", async () => {
    const { page } = alice;
    await rowOf(page, laptopKey).locator("select").selectOption("3600");
    await rowOf(page, laptopKey).locator('button:has-text("Rotate")').click();
    const rotated = (await page.locator("[data-new-key]").innerText()).trim();
    expect(await page.locator(".new-key").innerText()).toMatch(/old key ptk_\w{4}… works until/);
    expect(rotated).not.toBe(laptopKey);
    expect(await buy(rotated)).toBe(201);
    expect(await buy(laptopKey)).toBe(201);
    laptopKey = rotated;
  });

  it("keeps another developer from seeing or revoking them", async () => {
    const aliceKeyId = await keyIdOf(alice.page, laptopKey);
    const bob = await signIn("bob");
    expect(await bob.page.locator("[data-consumer]").innerText()).toBe("portal:bob");
    expect(await bob.page.content()).not.toContain(aliceKeyId);
    expect(await bob.page.locator("tr[data-key-id]").count()).toBe(0);
    // Bob's own page, his own CSRF token, Alice's key id.
    const csrf = await bob.page.locator('input[name="csrf"]').first().inputValue();
    const answer = await bob.context.request.post(`${docs}/keys`, {
      form: { csrf, action: "revoke", keyId: aliceKeyId },
      headers: { origin: server.base },
      maxRedirects: 0,
    });
    expect(answer.status()).toBe(404);
    expect(await buy(laptopKey)).toBe(201);
  });

  it("refuses a cross-site POST and one without the page's CSRF token", async () => {
    const keyId = await keyIdOf(alice.page, laptopKey);
    // Another port is another origin but the same site: SameSite=Lax still sends the cookie, the checks must refuse.
    attacker.on("request", (_request, response) => {
      response.setHeader("content-type", "text/html");
      response.end(
        `<form method="post" action="${docs}/keys"><input name="action" value="revoke"><input name="keyId" value="${keyId}"><input name="csrf" value="guess"></form><script>document.forms[0].submit()</script>`,
      );
    });
    const evil = await alice.context.newPage();
    const refused = evil.waitForResponse((response) => response.url() === `${docs}/keys` && response.request().method() === "POST");
    await evil.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    expect((await refused).status()).toBe(403);
    const noToken = await alice.context.request.post(`${docs}/keys`, { form: { action: "revoke", keyId }, headers: { origin: server.base }, maxRedirects: 0 });
    expect(noToken.status()).toBe(403);
    // Even the page's own token does not carry a POST from another origin.
    const csrf = await alice.page.locator('input[name="csrf"]').first().inputValue();
    const otherOrigin = await alice.context.request.post(`${docs}/keys`, {
      form: { csrf, action: "revoke", keyId },
      headers: { origin: `http://127.0.0.1:${(attacker.address() as AddressInfo).port}` },
      maxRedirects: 0,
    });
    expect(otherOrigin.status()).toBe(403);
    expect(await buy(laptopKey)).toBe(201);
  });

  it("refuses a forged session cookie and a callback that did not start here", async () => {
    const cookies = await alice.context.cookies(server.base);
    const session = cookies.find((cookie) => cookie.name === "portico-session")!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    const [id] = session.value.split(".");
    for (const forged of [`${id}.${"A".repeat(43)}`, `${"B".repeat(43)}.${session.value.split(".")[1]}`]) {
      const answer = await fetch(`${docs}/keys`, { headers: { cookie: `portico-session=${forged}` }, redirect: "manual" });
      expect(answer.status).toBe(303);
      expect(answer.headers.get("location")).toContain("/docs/login");
    }
    const callback = await fetch(`${docs}/callback?code=stolen&state=guessed`, { headers: { accept: "text/html" } });
    expect(callback.status).toBe(400);
  });

  it("revokes a key, which is refused within the documented delay; after sign-out the old cookie opens nothing", async () => {
    const { page, context } = alice;
    await rowOf(page, laptopKey).locator('button:has-text("Revoke")').click();
    expect(await page.locator('[role="status"]').innerText()).toContain("Revoked laptop");
    const deadline = Date.now() + REVOCATION_MS;
    while ((await buy(laptopKey)) !== 401) {
      expect(Date.now(), "the revoked key still works").toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    const cookie = (await context.cookies(server.base)).find((c) => c.name === "portico-session")!.value;
    await page.click('button:has-text("Sign out")');
    await page.waitForURL(`${docs}/`);
    const replayed = await fetch(`${docs}/keys`, { headers: { cookie: `portico-session=${cookie}` }, redirect: "manual" });
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get("location")).toContain("/docs/login");
  }, 120_000);
});
