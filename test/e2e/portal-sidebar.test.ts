/**
 * The sidebar of an API of many tags in Chromium: each operation page ships
 * only its own entry under its tag, and search.js lists the tag's others from
 * the tag's page, each link served without a redirect. Without JavaScript the
 * tag's link leads to them. The portal is generated as `portico build` does
 * and served as Workers Static Assets serve it.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic, type StaticSite } from "../../bench/lib/static-assets.ts";
import { generatePortal } from "../../src/portal/generate.ts";
import { runIf } from "../support/skips.ts";
import { chromiumPath, launchChromium } from "./browser.ts";

const missing = !existsSync(chromiumPath);
// As in portal.test.ts: a developer without Chromium is told how to get it; CI never passes by skipping.
const skipped = missing && !process.env.CI;
const withChromium = runIf(!skipped, `${chromiumPath} is missing (sudo apt-get install -y chromium)`);

/** 30 tags (more than the sidebar lists), the first of 12 operations; one summary too long to be a title. */
const TAGS = Array.from({ length: 30 }, (_, i) => `tag${i}`);
const ITEMS = 12;
const summary = (i: number) => (i === 5 ? `Item ${i}: ${"a summary past eighty characters ".repeat(3)}` : `Get item ${i}`);
const document = {
  openapi: "3.1.0",
  info: { title: "Many tags", version: "1" },
  tags: TAGS.map((name) => ({ name })),
  paths: Object.fromEntries([
    ...Array.from({ length: ITEMS }, (_, i) => [
      `/items/${i}`,
      { get: { operationId: `item${i}`, summary: summary(i), tags: ["tag0"], responses: { "200": { description: "OK" } } } },
    ]),
    ...TAGS.slice(1).map((name) => [`/${name}`, { get: { operationId: `list-${name}`, tags: [name], responses: { "200": { description: "OK" } } } }]),
  ]),
};

describe(`the sidebar of an API of many tags in Chromium${skipped ? " (skipped: no Chromium)" : ""}`, withChromium, () => {
  const work = mkdtempSync(join(tmpdir(), "portico-sidebar-"));
  let site: StaticSite;
  let browser: Browser;

  beforeAll(async () => {
    await generatePortal({ root: work, document, operations: [], outDir: join(work, "site") });
    [site, browser] = await Promise.all([serveStatic(join(work, "site")), launchChromium()]);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), site?.close()]);
    rmSync(work, { recursive: true, force: true });
  });

  it("lists the page's tag's operations from the tag's page, marks the page, and links each without a redirect", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    try {
      const page = await context.newPage();
      const answers: number[] = [];
      page.on("response", (response) => answers.push(response.status()));
      await page.goto(`${site.base}/docs/operations/item7`);
      const links = page.locator(".site-nav .open > ul a");
      await expect.poll(() => links.count()).toBe(ITEMS);
      expect(await links.allInnerTexts()).toEqual(Array.from({ length: ITEMS }, (_, i) => (i === 5 ? "/items/5" : `Get item ${i}`)));
      const current = page.locator('.site-nav a[aria-current="page"]');
      expect(await current.count()).toBe(1);
      expect(await current.innerText()).toBe("Get item 7");
      expect(await page.locator(".site-nav .op.get").count()).toBe(ITEMS);
      await links.nth(2).click();
      await page.waitForURL(/\/docs\/operations\/item2$/);
      await expect.poll(() => page.locator('.site-nav a[aria-current="page"]').innerText()).toBe("Get item 2");
      expect(answers.filter((status) => status >= 300 && status < 400)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("lists only the page itself without JavaScript, under its tag's link", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${site.base}/docs/operations/item7`);
      expect(await page.locator(".site-nav .open > ul a").allInnerTexts()).toEqual(["Get item 7"]);
      expect(await page.locator('.site-nav .open > a[href="../tags/tag0"]').count()).toBe(1);
      await page.goto(`${site.base}/docs/tags/tag0`);
      expect(await page.locator("main .operation-list a").count()).toBe(ITEMS);
    } finally {
      await context.close();
    }
  });
});
