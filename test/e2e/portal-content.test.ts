/**
 * What the portal makes of real documents' descriptions and schemas, read in
 * Chromium: the example, OpenAI's and Stripe's trimmed documents, and
 * DigitalOcean's multi-file one when ../shared/fixtures is there. Each portal
 * is generated as `portico build` does and served as Workers Static Assets
 * serve it (html_handling "auto-trailing-slash"); on a sample of pages, the
 * text outside code holds no raw Markdown and no escaped HTML, and every
 * internal link, fragment included, resolves.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic, type StaticSite } from "../../bench/lib/static-assets.ts";
import { loadSpec } from "../../src/compiler/spec/load-spec.ts";
import { generatePortal } from "../../src/portal/generate.ts";
import { EXAMPLE } from "../support/example-project.ts";
import { hasSharedFixtures, sharedFixtures, withSharedFixtures } from "../support/shared-fixtures.ts";
import { runIf } from "../support/skips.ts";
import { chromiumPath, launchChromium, root } from "./browser.ts";

const missing = !existsSync(chromiumPath);
// As in portal.test.ts: a developer without Chromium is told how to get it; CI never passes by skipping.
const skipped = missing && !process.env.CI;
const withChromium = runIf(!skipped, `${chromiumPath} is missing (sudo apt-get install -y chromium)`);

interface Portal {
  name: string;
  /** Where the site is written: its base path, /docs, is a folder of it. */
  out: string;
  document: Record<string, any>;
}

const work = mkdtempSync(join(tmpdir(), "portico-content-"));

/** A project folder with the document as its entry (decompressed) and the given portal.config. */
function project(name: string, source: string, config: string): { root: string; entry: string } {
  const dir = join(work, name);
  mkdirSync(join(dir, "portal"), { recursive: true });
  writeFileSync(join(dir, "portal", "portal.config"), config);
  const raw = readFileSync(source);
  const entry = join(dir, "openapi", extname(source.replace(/\.gz$/, "")) === ".json" ? "openapi.json" : "openapi.yaml");
  mkdirSync(join(dir, "openapi"), { recursive: true });
  writeFileSync(entry, source.endsWith(".gz") ? gunzipSync(raw) : raw);
  return { root: dir, entry };
}

/** The portal `portico build` would write for this entry, from the public document; `project` holds portal/. */
async function build(name: string, project: string, entry: string, specRoot = project): Promise<Portal> {
  const loaded = await loadSpec(specRoot, entry);
  const document = loaded.publicDocument as Record<string, any>;
  const out = join(work, `${name}-site`);
  await generatePortal({ root: project, document, operations: [], outDir: out });
  return { name, out, document };
}

/** Up to `count` items spread over the list, first and last included. */
function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]);
}

const RAW_MARKDOWN = [
  { what: "bold markers", pattern: /\*\*[^*\s][^*\n]*\*\*/ },
  { what: "a Markdown link", pattern: /\]\(/ },
  { what: "paired backticks", pattern: /`[^`\n]+`/ },
];
const ESCAPED_HTML = /<\/?(p|a|code|strong|em|b|i|ul|ol|li|br|div|span|pre|h[1-6]|table|tr|td|blockquote)(\s[^<>]*)?\/?>/i;

/** The page's text outside code (code samples, examples, values) and outside the try-it form's fields. */
async function proseOf(page: Page): Promise<string> {
  // Browser-side code as text: this project compiles without the DOM library.
  return page.evaluate<string>(`(() => {
    const body = document.body.cloneNode(true);
    for (const node of body.querySelectorAll("pre, code, kbd, samp, script, style, textarea, input, select")) node.remove();
    return body.textContent;
  })()`);
}

async function hrefsOf(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll("a[href]")].map((a) => a.href)`);
}

/** Every internal link resolves: its page answers 200 (after the server's redirects) and holds its fragment's id. */
async function brokenLinks(base: string, links: Iterable<string>): Promise<string[]> {
  const pages = new Map<string, Promise<{ status: number; body: string }>>();
  const fetchPage = (url: string) => {
    if (!pages.has(url))
      pages.set(
        url,
        fetch(url).then(async (response) => ({ status: response.status, body: await response.text() })),
      );
    return pages.get(url)!;
  };
  const broken: string[] = [];
  for (const link of new Set(links)) {
    if (!link.startsWith(base)) continue;
    const url = new URL(link);
    const fragment = decodeURIComponent(url.hash.slice(1));
    url.hash = "";
    const { status, body } = await fetchPage(url.href);
    if (status !== 200) broken.push(`${link}: ${status}`);
    else if (fragment && !body.includes(`id="${fragment}"`) && !body.includes(`name="${fragment}"`)) broken.push(`${link}: no #${fragment} there`);
  }
  return broken;
}

describe(`descriptions and schemas of real documents in Chromium${skipped ? ` (skipped: ${chromiumPath} is missing)` : ""}`, withChromium, () => {
  let browser: Browser;
  const portals: Array<Portal & StaticSite> = [];

  beforeAll(async () => {
    browser = await launchChromium();
    // The example as a user has it; OpenAI's with its documentation site as linkBase; Stripe's with the default.
    const example = join(work, "example");
    for (const folder of ["openapi", "portal"]) cpSync(join(EXAMPLE, folder), join(example, folder), { recursive: true });
    const openai = project("openai", join(root, "test/fixtures/openai/openapi.trimmed.json.gz"), "linkBase: https://platform.openai.com/\n");
    const stripe = project("stripe", join(root, "test/fixtures/stripe/spec3.trimmed.yaml.gz"), "title: Stripe\n");
    const built = [
      await build("example", example, join(example, "openapi/openapi.yaml")),
      await build("openai", openai.root, openai.entry),
      await build("stripe", stripe.root, stripe.entry),
    ];
    if (hasSharedFixtures) {
      const entry = join(sharedFixtures, "openapi/real-world/digitalocean/specification/DigitalOcean-public.v2.yaml");
      const dir = join(work, "digitalocean");
      mkdirSync(join(dir, "portal"), { recursive: true });
      writeFileSync(join(dir, "portal", "portal.config"), "linkBase: https://docs.digitalocean.com/\n");
      built.push(await build("digitalocean", dir, entry, sharedFixtures));
    }
    for (const portal of built) portals.push({ ...portal, ...(await serveStatic(portal.out)) });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(portals.map((portal) => portal.close()));
    rmSync(work, { recursive: true, force: true });
  });

  for (const name of ["example", "openai", "stripe", "digitalocean"]) {
    const options = { timeout: 180_000, ...(name === "digitalocean" ? withSharedFixtures : {}) };
    it(`${name}: no raw Markdown or escaped HTML outside code, and every internal link resolves`, options, async () => {
      const portal = portals.find((candidate) => candidate.name === name)!;
      const docs = `${portal.base}/docs`;
      const context = await browser.newContext({ javaScriptEnabled: true });
      const page = await context.newPage();
      const index = await fetch(`${docs}/search-index.json`).then((response) => response.json() as Promise<Array<{ kind: string; url: string }>>);
      const urlsOf = (kind: string) => index.filter((entry) => entry.kind === kind).map((entry) => `${portal.base}${entry.url}`);
      const sample = [`${docs}/`, `${docs}/schemas/`, ...spread(urlsOf("operation"), 8), ...spread(urlsOf("schema"), 8)];
      const problems: string[] = [];
      const links: string[] = [];
      for (const url of sample) {
        const response = await page.goto(url);
        expect(response?.status(), url).toBe(200);
        const text = await proseOf(page);
        for (const { what, pattern } of RAW_MARKDOWN) {
          const found = pattern.exec(text);
          if (found) problems.push(`${url}: ${what}: …${text.slice(Math.max(0, found.index - 60), found.index + 60)}…`);
        }
        const escaped = ESCAPED_HTML.exec(text);
        if (escaped) problems.push(`${url}: escaped HTML ${escaped[0]}: …${text.slice(Math.max(0, escaped.index - 60), escaped.index + 60)}…`);
        links.push(...(await hrefsOf(page)));
      }
      await context.close();
      expect(problems).toEqual([]);
      expect(await brokenLinks(portal.base, links)).toEqual([]);
      // The check checked something: the pages link one another.
      expect(links.filter((link) => link.startsWith(docs)).length).toBeGreaterThan(0);
    });
  }

  it("example: a schema from a file of its own is named after it, listed and linked", async () => {
    const portal = portals.find((candidate) => candidate.name === "example")!;
    const page = await browser.newPage();
    await page.goto(`${portal.base}/docs/schemas/`);
    expect(await page.locator("main a").allInnerTexts()).toEqual(expect.arrayContaining(["exhibit", "Ticket", "Problem"]));
    await page.goto(`${portal.base}/docs/operations/getExhibit`);
    const link = page.locator('section[aria-labelledby="responses"] a.schema-link').first();
    expect(await link.innerText()).toBe("exhibit");
    await link.click();
    expect(await page.locator("h1").innerText()).toBe("exhibit");
    // Its description once, above its properties.
    expect((await proseOf(page)).split("An object on show, or in storage.").length - 1).toBe(1);
    await page.close();
  });

  it("openai: Markdown rendered, links sent to linkBase, allOf as one list, nullable as X | null", async () => {
    const portal = portals.find((candidate) => candidate.name === "openai")!;
    const page = await browser.newPage();
    await page.goto(`${portal.base}/docs/operations/createChatCompletion`);
    expect(await page.locator("main strong", { hasText: "Starting a new project?" }).count()).toBeGreaterThan(0);
    expect(await page.locator('main a[href="https://platform.openai.com/docs/api-reference/responses"]').count()).toBeGreaterThan(0);
    await page.goto(`${portal.base}/docs/schemas/CreateChatCompletionRequest`);
    const text = await page.locator("main").innerText();
    expect(text).toContain("Includes CreateModelResponseProperties");
    expect(text).not.toMatch(/All of|option \d/);
    expect(text).toMatch(/temperature\s*number \| null/);
    await page.close();
  });

  it("stripe: inline HTML kept as HTML, its links resolved, nullable references as X | null", async () => {
    const portal = portals.find((candidate) => candidate.name === "stripe")!;
    const page = await browser.newPage();
    await page.goto(`${portal.base}/docs/schemas/customer`);
    const text = await page.locator("main").innerText();
    expect(text).toMatch(/address\s*address \| null/);
    expect(text).not.toMatch(/option \d/);
    // `<p>Creates a new customer object.</p>` in the document: a paragraph on the page.
    await page.goto(`${portal.base}/docs/operations/PostCustomers`);
    expect(await page.locator("main p", { hasText: /^Creates a new customer object\.$/ }).count()).toBe(1);
    // `<a href="/docs/connect/bank-debit-card-payouts">`, resolved against the first server's origin (no linkBase set).
    await page.goto(`${portal.base}/docs/schemas/payout`);
    expect(await page.locator('main a[href="https://api.stripe.com/docs/connect/bank-debit-card-payouts"]').count()).toBe(1);
    await page.close();
  });

  it("digitalocean: the schemas its files hold are listed by name", withSharedFixtures, async () => {
    const portal = portals.find((candidate) => candidate.name === "digitalocean")!;
    const page = await browser.newPage();
    await page.goto(`${portal.base}/docs/schemas/`);
    expect(await page.locator("main li a").count()).toBeGreaterThan(800);
    await page.close();
  });
});
