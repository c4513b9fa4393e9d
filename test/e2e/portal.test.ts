/**
 * The developer portal as a reader meets it: the real `npm run dev` serving
 * the example's /docs, opened in headless Chromium. Home page, reading without JavaScript,
 * search, a try-it request answered by the running gateway, dark mode, and
 * axe-core, with a screenshot of each step under test/.artifacts/portal/.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { EXAMPLE } from "../support/example-project.ts";
import { runIf } from "../support/skips.ts";
import { axeViolations, chromiumPath, describeViolations, launchChromium, screenshot, startDevServer, type DevServer } from "./browser.ts";

const missing = !existsSync(chromiumPath);
// A developer without Chromium is told how to get it; CI must never pass by skipping.
const skipped = missing && !process.env.CI;
if (skipped) console.warn(`portal browser tests skipped: ${chromiumPath} is missing (sudo apt-get install -y chromium). In CI they run.`);
const withChromium = runIf(!skipped, `${chromiumPath} is missing (sudo apt-get install -y chromium)`);

const config = (() => {
  const file = join(EXAMPLE, "portal/portal.config");
  return (existsSync(file) ? parse(readFileSync(file, "utf8")) : undefined) ?? {};
})() as { title?: string; basePath?: string };
const spec = parse(readFileSync(join(EXAMPLE, "openapi/openapi.yaml"), "utf8")) as {
  info: { title: string };
  paths: Record<string, Record<string, { operationId?: string; tags?: string[] }>>;
};
const title = config.title ?? spec.info.title;
const basePath = (config.basePath ?? "/docs").replace(/\/$/, "");

// listExhibits needs no credentials: its try-it request goes through as an anonymous caller.
const operation = { id: "listExhibits", summary: "List exhibits", method: "GET", path: "/exhibits", tag: "Exhibits", firstTitle: "Starry Night Study" };
const taggedOperations = (tag: string) =>
  Object.values(spec.paths).flatMap((item) =>
    Object.values(item)
      .filter((op) => op?.operationId && op.tags?.includes(tag))
      .map((op) => op.operationId!),
  );
// Pages are linked by the URLs Workers Static Assets serve them at: operations/x for operations/x.html.
const operationPage = new RegExp(`operations/${operation.id}$`);

describe(`the developer portal in Chromium${skipped ? ` (skipped: ${chromiumPath} is missing)` : ""}`, withChromium, () => {
  let server: DevServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let docs: string;
  const foreignRequests: string[] = [];
  const scriptErrors: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startDevServer(), launchChromium()]);
    docs = `${server.base}${basePath}`;
    context = await browser.newContext({ colorScheme: "light", viewport: { width: 1280, height: 900 } });
    context.on("request", (request) => {
      if (!request.url().startsWith(server.base) && !request.url().startsWith("data:")) foreignRequests.push(request.url());
    });
    page = await context.newPage();
    page.on("pageerror", (error) => scriptErrors.push(`${page.url()}: ${error.message}`));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.stop();
  });

  it("serves the home page at the configured path, titled after the API", async () => {
    const response = await page.goto(`${docs}/`);
    expect(response?.status(), server.output().slice(-2000)).toBe(200);
    await screenshot(page, "home");
    expect(await page.title()).toContain(title);
    expect(await page.locator("h1").first().innerText()).toContain(title);
  });

  it("is readable with JavaScript off: the operations of a tag are listed and their pages open", async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      const reader = await noScript.newPage();
      await reader.goto(`${docs}/`);
      await screenshot(reader, "home-without-javascript");
      await reader
        .locator('a[href*="tags/"]', { hasText: new RegExp(`^\\s*${operation.tag}\\s*$`) })
        .first()
        .click();
      await reader.waitForURL(/tags\//);
      for (const id of taggedOperations(operation.tag)) {
        const link = reader.locator(`main a[href$="operations/${id}"]`).first();
        // A collapsed <details> opens from its <summary> without any script.
        if (!(await link.isVisible())) await reader.locator("details", { has: link }).last().locator("> summary").click();
        expect(await link.isVisible(), `a visible link to ${id} on the ${operation.tag} page`).toBe(true);
      }
      await screenshot(reader, "tag-without-javascript");
      await reader.locator(`main a[href$="operations/${operation.id}"]`).first().click();
      await reader.waitForURL(operationPage);
      await screenshot(reader, "operation-without-javascript");
      const text = await reader.locator("main").innerText();
      expect(text).toContain(operation.method);
      expect(text).toContain(operation.path);
      expect(await reader.locator("form[data-try-it]").isVisible()).toBe(true);
    } finally {
      await noScript.close();
    }
  });

  it("finds an operation by its summary and opens it from the keyboard", async () => {
    await page.goto(`${docs}/`);
    const search = page.locator('form[data-search] input[name="q"]');
    await search.focus();
    await page.keyboard.type(operation.summary, { delay: 20 });
    const hit = page.locator("[data-search-results] a", { hasText: operation.summary }).first();
    await hit.waitFor({ timeout: 5_000 });
    expect(await hit.getAttribute("href")).toMatch(operationPage);
    await screenshot(page, "search-results");
    // Tab from the search box into the results, to the hit, and open it with Enter.
    for (let presses = 0; presses < 10; presses++) {
      await page.keyboard.press("Tab");
      const focused = page.locator("[data-search-results] a:focus");
      if ((await focused.count()) > 0 && (await focused.innerText()).includes(operation.summary)) break;
    }
    await page.keyboard.press("Enter");
    await page.waitForURL(operationPage, { timeout: 5_000 });
    await screenshot(page, "operation");
    expect(await page.locator("body").innerText()).toContain(operation.summary);
  });

  it("sends a try-it request to the running gateway and shows the 200, its RateLimit headers and the body", async () => {
    await page.goto(`${docs}/operations/${operation.id}`);
    const form = page.locator("form[data-try-it]");
    expect(await form.getAttribute("data-method")).toBe(operation.method);
    await form.locator('[name="query.limit"]').fill("5");
    const sent = page.waitForRequest((request) => new URL(request.url()).pathname.endsWith(`/v1${operation.path}`));
    await form.locator('button[type="submit"], input[type="submit"], button:not([type])').first().click();
    const request = await sent;
    expect(new URL(request.url()).origin).toBe(server.base);
    expect(new URL(request.url()).searchParams.get("limit")).toBe("5");
    const output = page.locator("[data-try-it-output]");
    await output.filter({ hasText: operation.firstTitle }).waitFor({ timeout: 10_000 });
    await output.scrollIntoViewIfNeeded();
    await screenshot(page, "try-it-response");
    const shown = await output.innerText();
    expect(shown).toMatch(/\b200\b/);
    // The RateLimit headers, with the name of the policy that counted the request.
    expect(shown).toMatch(/ratelimit/i);
    expect(shown).toContain('"browsing"');
    expect(shown).toContain(operation.firstTitle);
  });

  it("switches to dark mode from the header, and stays dark after a reload", async () => {
    await page.goto(`${docs}/operations/${operation.id}`);
    const theme = () => page.locator("html").getAttribute("data-theme");
    const background = () => page.evaluate<string>("getComputedStyle(document.body).backgroundColor");
    expect(await theme()).toBe("light");
    const light = await background();
    const toggle = page.locator("[data-theme-toggle]");
    await toggle.focus();
    await page.keyboard.press("Enter");
    await expect.poll(theme).toBe("dark");
    expect(await toggle.getAttribute("aria-pressed")).toBe("true");
    expect(await background()).not.toBe(light);
    await screenshot(page, "dark");
    await page.reload();
    expect(await theme()).toBe("dark");
    await screenshot(page, "dark-after-reload");
    await toggle.click();
    await expect.poll(theme).toBe("light");
  });

  it("follows the reader's colour scheme until told otherwise", async () => {
    const dark = await browser.newContext({ colorScheme: "dark" });
    try {
      const reader = await dark.newPage();
      await reader.goto(`${docs}/`);
      expect(await reader.locator("html").getAttribute("data-theme")).toBe("dark");
    } finally {
      await dark.close();
    }
  });

  it("has no serious or critical axe-core violations, in light and in dark", async () => {
    const serious: string[] = [];
    for (const colorScheme of ["light", "dark"] as const) {
      const checked = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
      try {
        const reader = await checked.newPage();
        for (const url of [`${docs}/`, `${docs}/operations/${operation.id}`]) {
          await reader.goto(url);
          const violations = await axeViolations(reader);
          const blocking = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
          const rest = violations.filter((v) => !blocking.includes(v));
          if (rest.length) console.log(`axe-core, ${colorScheme}, ${url}:\n${describeViolations(rest)}`);
          if (blocking.length) serious.push(`${colorScheme} ${url}:\n${describeViolations(blocking)}`);
        }
      } finally {
        await checked.close();
      }
    }
    expect(serious.join("\n"), serious.join("\n")).toBe("");
  });

  it("ran without script errors and fetched nothing from another host", () => {
    expect(scriptErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });
});
