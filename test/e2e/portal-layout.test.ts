/**
 * The portal's layout, navigation, search and serving in Chromium, against the
 * real `npm run dev` of the example, which also serves, from the same assets
 * folder, the portals of Stripe's and OpenAI's trimmed documents (at /stripe
 * and /openai): phones without sideways scroll, the sidebar marking the page,
 * links that need no redirect, hashed assets kept a year, the 404 page,
 * ranked search whose every result opens, and axe-core in both themes, with
 * JavaScript and without.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSpec } from "../../src/compiler/spec/load-spec.ts";
import { generatePortal } from "../../src/portal/generate.ts";
import { runIf } from "../support/skips.ts";
import { axeViolations, chromiumPath, describeViolations, launchChromium, root, startDevServer, type DevServer } from "./browser.ts";

const missing = !existsSync(chromiumPath);
// A developer without Chromium is told how to get it; CI must never pass by skipping.
const skipped = missing && !process.env.CI;
const withChromium = runIf(!skipped, `${chromiumPath} is missing (sudo apt-get install -y chromium)`);

/** The trimmed real documents, each with the page the tests read most and a phrase search must rank first. */
const REAL = {
  stripe: {
    file: "stripe/spec3.trimmed.yaml.gz",
    name: "openapi.yaml",
    operation: "PostCheckoutSessions",
    query: "GetCustomersCustomer",
    first: "GET /v1/customers/{customer}",
  },
  openai: {
    file: "openai/openapi.trimmed.json.gz",
    name: "openapi.json",
    operation: "createChatCompletion",
    query: "createEmbedding",
    first: "Creates an embedding",
  },
} as const;

/** Writes the portal of a trimmed document into the project's assets folder, at /<name>, as `portico build` would. */
async function writeRealPortal(project: string, name: keyof typeof REAL): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), `portico-layout-${name}-`));
  try {
    mkdirSync(join(work, "openapi"));
    mkdirSync(join(work, "portal"));
    writeFileSync(join(work, "portal", "portal.config"), `basePath: /${name}\n`);
    const file = join(work, "openapi", REAL[name].name);
    writeFileSync(file, gunzipSync(readFileSync(join(root, "test/fixtures", REAL[name].file))));
    const { publicDocument } = await loadSpec(work, file);
    await generatePortal({ root: work, document: publicDocument as Record<string, any>, operations: [], outDir: join(project, "dist", "portal") });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const IMMUTABLE = "public, max-age=31536000, immutable";

describe(`the portal's layout, navigation, search and serving in Chromium${skipped ? " (skipped: no Chromium)" : ""}`, withChromium, () => {
  let server: DevServer;
  let browser: Browser;
  let wide: BrowserContext;
  let page: Page;
  const scriptErrors: string[] = [];
  const at = (path: string) => `${server.base}${path}`;

  beforeAll(async () => {
    const real: Array<Promise<void>> = [];
    [server, browser] = await Promise.all([
      startDevServer({
        // The dev build replaces dist/portal/docs only: the two portals beside it stay.
        prepare: (project) => void real.push(writeRealPortal(project, "stripe"), writeRealPortal(project, "openai")),
        // Ready once the example's portal is built, not only the gateway.
        ready: (base) => fetch(`${base}/docs/`).then((response) => response.ok),
      }),
      launchChromium(),
    ]);
    await Promise.all(real);
    wide = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: "light" });
    page = await wide.newPage();
    page.on("pageerror", (error) => scriptErrors.push(`${page.url()}: ${error.message}`));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    server?.stop();
  });

  /** A page the portals have of each kind: home, an operation, a schema. */
  const pages = () => [
    "/docs/",
    "/docs/operations/listExhibits",
    "/docs/schemas/Ticket",
    "/stripe/",
    `/stripe/operations/${REAL.stripe.operation}`,
    "/stripe/schemas/checkout.session",
    `/openai/operations/${REAL.openai.operation}`,
  ];

  it("puts the sidebar, the reference and the samples side by side on a wide screen, the sidebar sticky", async () => {
    await page.goto(at(`/stripe/operations/${REAL.stripe.operation}`));
    const box = (selector: string) => page.locator(selector).first().boundingBox();
    const [nav, reference, aside] = await Promise.all([box(".site-nav"), box(".operation-main"), box(".operation-aside")]);
    expect(nav!.x + nav!.width).toBeLessThanOrEqual(reference!.x);
    expect(reference!.x + reference!.width).toBeLessThanOrEqual(aside!.x);
    // Code samples, example responses and try-it sit beside the description, from the top.
    expect(aside!.y).toBeLessThan(400);
    for (const section of ["#samples", "#response-examples", "#try-it"]) expect(await page.locator(`.operation-aside ${section}`).count(), section).toBe(1);
    await page.mouse.wheel(0, 3000);
    await expect.poll(() => page.evaluate<number>("scrollY")).toBeGreaterThan(1000);
    const after = await box(".site-nav");
    expect(after!.y, "the sidebar stays below the header while the page scrolls").toBeGreaterThanOrEqual(0);
    expect(after!.y).toBeLessThan(100);
  });

  it("lists the operations of the page's tag in the sidebar, marks the page, and groups a document without tags by path", async () => {
    await page.goto(at("/docs/operations/listExhibits"));
    const current = page.locator('.site-nav a[aria-current="page"]');
    expect(await current.count()).toBe(1);
    expect(await current.getAttribute("href")).toBe("listExhibits");
    expect(await current.innerText()).toContain("List exhibits");
    expect(await current.isVisible()).toBe(true);
    // Its tag's other operations are listed beside it; another tag is a link to its page.
    expect(await page.locator(".site-nav .open > ul a").count()).toBeGreaterThan(1);
    expect(await page.locator('.site-nav a[href="../tags/Tickets"]').count()).toBe(1);

    await page.goto(at("/docs/schemas/Ticket"));
    expect(await page.locator('.site-nav a[aria-current="page"]').count()).toBe(0);
    await page.goto(at("/docs/schemas/"));
    expect(await page.locator('.site-nav a[aria-current="page"]').innerText()).toBe("Schemas");

    // Stripe's document has no tags: its operations are grouped by their path's first segment after /v1.
    await page.goto(at("/stripe/operations/GetCustomers"));
    const groups = await page.locator(".site-nav a[href^='../tags/']").allInnerTexts();
    expect(groups).toEqual(expect.arrayContaining(["customers", "checkout", "prices", "products", "webhook_endpoints"]));
    expect(groups).not.toContain("Other");
    expect(await page.locator('.site-nav .open a[aria-current="page"]').innerText()).toContain("/v1/customers");
  });

  it("has no sideways scroll at 320 and 390 px, starts the content near the top and keeps the search box wide", async () => {
    for (const javaScriptEnabled of [true, false]) {
      for (const width of [320, 390]) {
        const phone = await browser.newContext({ viewport: { width, height: 800 }, javaScriptEnabled, isMobile: true, hasTouch: true });
        try {
          const reader = await phone.newPage();
          for (const path of [...pages(), "/openai/schemas/CreateChatCompletionRequest"]) {
            await reader.goto(at(path));
            const where = `${path} at ${width} px, JavaScript ${javaScriptEnabled ? "on" : "off"}`;
            const overflow = await reader.evaluate<{ scroll: number; client: number; culprits: string[] }>(`(() => {
              const client = document.documentElement.clientWidth;
              const culprits = [...document.querySelectorAll("main *, header *, nav *")]
                .filter((element) => element.getBoundingClientRect().right > client + 1 && element.checkVisibility())
                .slice(0, 5)
                .map((element) => element.tagName + "." + element.className);
              return { scroll: document.documentElement.scrollWidth, client, culprits };
            })()`);
            expect(overflow.scroll, `${where}: ${overflow.culprits.join(", ")}`).toBeLessThanOrEqual(overflow.client);
            const heading = await reader.locator("main h1").first().boundingBox();
            expect(heading!.y, `${where}: the page's heading is on the first screen`).toBeLessThan(250);
            const search = await reader.locator("form[data-search] input").boundingBox();
            expect(search!.width, `${where}: the search box`).toBeGreaterThan(width * 0.8);
          }
          // The menu is folded, and opens without a script.
          await reader.goto(at("/docs/operations/listExhibits"));
          const current = reader.locator('.site-nav a[aria-current="page"]');
          expect(await current.isVisible()).toBe(false);
          await reader.locator(".site-nav summary").click();
          expect(await current.isVisible()).toBe(true);
        } finally {
          await phone.close();
        }
      }
    }
  });

  it("links pages by the URLs they are served at: following links never meets a redirect", async () => {
    const redirects: string[] = [];
    const watch = (response: Response) => {
      if (response.status() >= 300 && response.status() < 400) redirects.push(`${response.status()} ${response.url()}`);
    };
    page.on("response", watch);
    try {
      await page.goto(at("/docs/"));
      // Clicks as a reader makes them: a tag in the sidebar, an operation, another from the sidebar, the schemas, one of them, home.
      await page.locator('.site-nav a[href="tags/Exhibits"]').click();
      await page.waitForURL(/\/docs\/tags\/Exhibits$/);
      await page.locator("main a[href$='operations/listExhibits']").click();
      await page.waitForURL(/\/docs\/operations\/listExhibits$/);
      await page.locator(".site-nav .open a:not([aria-current])").last().click();
      await page.waitForURL(/\/docs\/operations\/(?!listExhibits)[^/]+$/);
      await page.locator(".site-nav a", { hasText: "Schemas" }).click();
      await page.waitForURL(/\/docs\/schemas\/$/);
      await page.locator("main .index-list a").first().click();
      await page.waitForURL(/\/docs\/schemas\/[^/]+$/);
      await page.locator(".brand").click();
      await page.waitForURL(/\/docs\/$/);
    } finally {
      page.off("response", watch);
    }
    expect(redirects).toEqual([]);

    // Every link of every page of the example's portal, and of the pages above of the others, answers 200 directly.
    const seen = new Set<string>();
    const queue = ["/docs/", ...pages()];
    const failures: string[] = [];
    while (queue.length) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await fetch(at(path), { redirect: "manual" });
      if (response.status !== 200) {
        failures.push(`${response.status} ${path}`);
        continue;
      }
      if (!(response.headers.get("content-type") ?? "").includes("text/html")) continue;
      const html = await response.text();
      for (const [, href] of html.matchAll(/\shref="([^"#]*)(#[^"]*)?"/g)) {
        if (href === "" || /^[a-z]+:|^\/\//i.test(href)) continue;
        const target = new URL(href, at(path));
        // The example's whole portal; of the large ones, the links of the pages listed.
        if (target.pathname.startsWith("/docs/") || pages().includes(path)) queue.push(target.pathname);
      }
    }
    expect(failures).toEqual([]);
    expect(seen.size).toBeGreaterThan(20);
  });

  it("serves stylesheet and scripts under hashed names for a year, and pages briefly with an ETag", async () => {
    const assets: Array<{ url: string; cacheControl?: string }> = [];
    const watch = (response: Response) => {
      if (new URL(response.url()).pathname.startsWith("/docs/assets/")) assets.push({ url: response.url(), cacheControl: response.headers()["cache-control"] });
    };
    page.on("response", watch);
    let html: Response | null;
    try {
      html = await page.goto(at("/docs/operations/listExhibits"));
      // The search and try-it scripts import their modules; focusing the search box loads the index.
      await page.locator("form[data-search] input").focus();
      await page.waitForLoadState("networkidle");
    } finally {
      page.off("response", watch);
    }
    const kinds = assets.map(({ url }) => url.replace(/^.*\/assets\/([\w-]+)\.[0-9a-f]{10}\.(css|js)$/, "$1.$2"));
    expect(kinds).toEqual(expect.arrayContaining(["portal.css", "theme.js", "search.js", "search-match.js", "try-it.js", "request.js"]));
    for (const asset of assets) expect(asset, asset.url).toEqual({ url: expect.stringMatching(/\.[0-9a-f]{10}\.(css|js)$/), cacheControl: IMMUTABLE });
    const headers = html!.headers();
    expect(headers["cache-control"]).toMatch(/^public, max-age=\d{1,4}$/);
    expect(headers.etag).toBeTruthy();
    const again = await fetch(at("/docs/operations/listExhibits"), { headers: { "if-none-match": headers.etag } });
    expect(again.status).toBe(304);
  });

  it("answers a missing page under /docs with the portal's 404 page, and any other missing path with the problem", async () => {
    const response = await page.goto(at("/docs/operations/no-such-operation"));
    expect(response!.status()).toBe(404);
    expect(response!.headers()["content-type"]).toMatch(/^text\/html/);
    expect(await page.locator("main h1").innerText()).toBe("Page not found");
    // Served below the base path at any depth, its stylesheet and links still resolve.
    await page.goto(at("/docs/a/b/c"));
    expect(await page.evaluate<string>("getComputedStyle(document.querySelector('.site-header')).position")).toBe("sticky");
    await page.locator(".brand").click();
    await page.waitForURL(/\/docs\/$/);
    const api = await fetch(at("/v1/no-such-path"), { headers: { accept: "text/html" } });
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toBe("application/problem+json");
  });

  it("ranks search results, shows the first few with more behind a button, and every result opens", async () => {
    for (const [name, real] of Object.entries(REAL)) {
      await page.goto(at(`/${name}/`));
      // "/" outside a field focuses the search box.
      await page.keyboard.press("/");
      expect(await page.evaluate<string>("document.activeElement?.name")).toBe("q");
      await page.keyboard.type(real.query, { delay: 10 });
      const first = page.locator("[data-search-results] li a").first();
      await expect.poll(() => first.innerText(), { timeout: 5_000 }).toContain(real.first);
    }
    await page.goto(at("/stripe/schemas/customer"));
    await page.keyboard.press("Control+k");
    expect(await page.evaluate<string>("document.activeElement?.name")).toBe("q");
    await page.keyboard.type("customer", { delay: 10 });
    const results = page.locator("[data-search-results] li a");
    const more = page.locator("[data-search-results] .search-more button");
    await more.waitFor({ timeout: 5_000 });
    expect(await results.count()).toBe(8);
    await more.click();
    expect(await results.count()).toBeGreaterThan(8);
    expect(await page.evaluate<string>("document.activeElement?.tagName")).toBe("A");

    // Every entry of every portal's index opens its page, with no redirect on the way.
    for (const base of ["/docs", "/stripe", "/openai"]) {
      const index = (await (await fetch(at(`${base}/search-index.json`))).json()) as Array<{ url: string }>;
      const broken: string[] = [];
      for (let i = 0; i < index.length; i += 16) {
        const answers = await Promise.all(
          index.slice(i, i + 16).map(({ url }) => fetch(at(url), { redirect: "manual" }).then((r) => [r.status, url] as const)),
        );
        broken.push(...answers.filter(([status]) => status !== 200).map(([status, url]) => `${status} ${url}`));
      }
      expect(broken, base).toEqual([]);
      expect(index.length).toBeGreaterThan(5);
    }
  });

  it("follows a dark system preference with JavaScript off, and hides the switch that needs it", async () => {
    const backgrounds: Record<string, string> = {};
    for (const colorScheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ colorScheme, javaScriptEnabled: false });
      try {
        const reader = await context.newPage();
        await reader.goto(at("/docs/"));
        backgrounds[colorScheme] = await reader.evaluate<string>("getComputedStyle(document.body).backgroundColor");
        expect(await reader.locator("[data-theme-toggle]").isVisible()).toBe(false);
      } finally {
        await context.close();
      }
    }
    const luminance = (rgb: string) =>
      rgb
        .match(/\d+/g)!
        .slice(0, 3)
        .reduce((sum, value) => sum + Number(value), 0);
    expect(luminance(backgrounds.dark)).toBeLessThan(luminance(backgrounds.light) / 2);
  });

  it("has no serious or critical axe-core violations on a home, an operation and a schema page: light and dark, JavaScript on and off, wide and phone", async () => {
    const serious: string[] = [];
    for (const colorScheme of ["light", "dark"] as const) {
      for (const javaScriptEnabled of [true, false]) {
        for (const width of [1400, 360]) {
          const context = await browser.newContext({ colorScheme, viewport: { width, height: 900 } });
          // axe-core runs as a script, so "JavaScript off" is the portal's own scripts refused: the page as a reader without them gets it.
          if (!javaScriptEnabled) await context.route(/\/assets\/[^/]+\.js$/, (route) => route.abort());
          try {
            const reader = await context.newPage();
            for (const path of ["/docs/", "/docs/operations/listExhibits", "/docs/schemas/Ticket", `/openai/operations/${REAL.openai.operation}`]) {
              await reader.goto(at(path));
              const blocking = (await axeViolations(reader)).filter((v) => v.impact === "serious" || v.impact === "critical");
              if (blocking.length)
                serious.push(`${colorScheme}, JavaScript ${javaScriptEnabled ? "on" : "off"}, ${width} px, ${path}:\n${describeViolations(blocking)}`);
            }
          } finally {
            await context.close();
          }
        }
      }
    }
    expect(serious.join("\n"), serious.join("\n")).toBe("");
  }, 240_000);

  it("ran without script errors", () => {
    expect(scriptErrors).toEqual([]);
  });
});
