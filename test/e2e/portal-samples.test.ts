/**
 * Code samples, examples and try-it in Chromium, against the real `npm run dev`:
 * of the example (with a cookie API key added to buying a ticket, and the
 * portal of OpenAI's trimmed document built beside its own, checked by the
 * build's validators), then of Stripe's trimmed document answered by `mock`.
 * Copy buttons put each sample on the clipboard, the example chooser shows
 * the chosen example, a Stripe POST's samples and try-it send its body
 * form-urlencoded and the gateway admits it, and the chat completion's sample
 * sends a body its schema accepts.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/compile.ts";
import { generatePortal } from "../../src/portal/generate.ts";
import type { PortalInput } from "../../src/portal-input.ts";
import { runIf } from "../support/skips.ts";
import { axeViolations, chromiumPath, describeViolations, launchChromium, root, startDevServer, type DevServer } from "./browser.ts";

const missing = !existsSync(chromiumPath);
// A developer without Chromium is told how to get it; CI must never pass by skipping.
const skipped = missing && !process.env.CI;
const withChromium = runIf(!skipped, `${chromiumPath} is missing (sudo apt-get install -y chromium)`);

const fixture = (path: string) => gunzipSync(readFileSync(join(root, "test/fixtures", path)));
/** An operation of the example's copy that takes a multipart body: a photo file and its caption. */
const PHOTOS = `  /exhibits/{exhibitId}/photos:
    post:
      operationId: addExhibitPhoto
      tags: [Exhibits]
      summary: Add a photo of an exhibit
      parameters:
        - { name: exhibitId, in: path, required: true, schema: { type: string, pattern: "^ex-[0-9]+$" }, example: ex-1001 }
      x-portico: { handler: mock }
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [photo, caption]
              properties:
                photo: { type: string, format: binary }
                caption: { type: string, minLength: 1 }
            encoding: { photo: { contentType: image/png } }
      responses:
        "201":
          description: Stored.
          content: { application/json: { schema: { type: object }, example: { stored: true } } }
`;
const LANGUAGES = ["curl", "JavaScript", "Python", "Go", "Java", "C#", "PHP", "Ruby"];

/** A consumer's API key, made as a developer makes one for `npm run dev`. */
function createKey(project: string, consumer: string): string {
  const created = execFileSync(process.execPath, [join(root, "bin/portico.js"), "keys", "create", "--consumer", consumer, "--json", "--root", project], {
    encoding: "utf8",
  });
  return (JSON.parse(created) as { key: string }).key;
}

/** The text of a sample as a reader would copy it. */
const sampleCode = async (page: Page, label: string) => (await sample(page, label).locator("pre").first().textContent()) ?? "";

/** The sample of a language, found by its summary. */
const sample = (page: Page, label: string) =>
  page.locator("details.sample", { has: page.locator("summary", { hasText: new RegExp(`^${label.replace(/[+#]/g, "\\$&")}$`) }) });

/** The JSON body a curl sample sends with --data '…'. */
function curlJson(code: string): unknown {
  const data = /--data '((?:[^']|'\\'')*)'/.exec(code);
  if (!data) throw new Error(`no --data in:\n${code}`);
  return JSON.parse(data[1].replaceAll("'\\''", "'"));
}

describe(`code samples, examples and try-it in Chromium${skipped ? " (skipped: no Chromium)" : ""}`, withChromium, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe("the example gateway, and OpenAI's portal beside it", () => {
    let server: DevServer;
    let context: BrowserContext;
    let page: Page;
    let key: string;
    let openai: PortalInput;
    const scriptErrors: string[] = [];

    /** OpenAI's portal as `portico build` writes it, with the build's own checks, at /openai of the example's assets. */
    async function writeOpenaiPortal(project: string): Promise<void> {
      const work = mkdtempSync(join(tmpdir(), "portico-samples-openai-"));
      try {
        mkdirSync(join(work, "openapi"));
        mkdirSync(join(work, "portal"));
        writeFileSync(join(work, "portal", "portal.config"), "basePath: /openai\n");
        writeFileSync(join(work, "openapi", "openapi.json"), fixture("openai/openapi.trimmed.json.gz"));
        const result = await compile({ root: work, check: true, defaultHandler: "mock" });
        if (!result.portal) throw new Error(result.errors.map((error) => error.format()).join("\n"));
        openai = result.portal;
        await generatePortal({ ...result.portal, root: work, outDir: join(project, "dist", "portal") });
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }

    /**
     * Buying a ticket also takes the API key as a cookie, the one kind of credential a page cannot
     * put in a header; an exhibit takes photos, a multipart body with a file.
     */
    function extendExample(project: string): void {
      const file = join(project, "openapi", "openapi.yaml");
      const text = readFileSync(file, "utf8")
        .replace("      security: [{ apiKey: [] }]\n", "      security: [{ apiKey: [] }, { cookieKey: [] }]\n")
        .replace("  securitySchemes:\n", "  securitySchemes:\n    cookieKey: { type: apiKey, in: cookie, name: museum_key }\n")
        .replace("  /tickets:\n", `${PHOTOS}  /tickets:\n`);
      expect(text).toContain("cookieKey: { type: apiKey");
      expect(text).toContain("operationId: addExhibitPhoto");
      writeFileSync(file, text);
    }

    beforeAll(async () => {
      const written: Array<Promise<void>> = [];
      server = await startDevServer({
        prepare: (project) => {
          extendExample(project);
          written.push(writeOpenaiPortal(project));
        },
        ready: (base) => fetch(`${base}/docs/`).then((response) => response.ok),
      });
      await Promise.all(written);
      key = createKey(server.project, "sampler");
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.base });
      page = await context.newPage();
      page.on("pageerror", (error) => scriptErrors.push(`${page.url()}: ${error.message}`));
    }, 240_000);

    afterAll(() => server?.stop());

    it("puts each sample's code on the clipboard from its copy button", async () => {
      await page.goto(`${server.base}/docs/operations/buyTicket`);
      expect(await page.locator("details.sample > summary").allInnerTexts()).toEqual(LANGUAGES);
      for (const label of LANGUAGES) {
        const details = sample(page, label);
        if ((await details.getAttribute("open")) === null) await details.locator("summary").click();
        const button = details.locator("button[data-copy]");
        await button.click();
        await expect.poll(() => button.innerText()).toBe("Copied");
        const copied = await page.evaluate<string>("navigator.clipboard.readText()");
        expect(copied, label).toBe(await sampleCode(page, label));
        expect(copied, label).toContain("/v1/tickets");
      }
      // The curl sample runs as it stands: the body is the document's example, the key a placeholder.
      expect(curlJson(await sampleCode(page, "curl"))).toEqual({ date: "2026-12-01", type: "adult" });
    });

    it("shows the example chosen in the select, and only that one", async () => {
      await page.goto(`${server.base}/docs/operations/listExhibits`);
      const select = page.locator("select[data-example-select]").first();
      const examples = page.locator(`#${await select.getAttribute("aria-controls")}`);
      const visible = () => examples.locator("figure[data-example]:visible figcaption").allInnerTexts();
      expect(await visible()).toEqual(["The first page"]);
      await select.selectOption({ label: "No exhibits match" });
      expect(await visible()).toEqual(["No exhibits match"]);
      expect(await examples.locator("figure[data-example]:visible pre").innerText()).toContain('"items": []');
      await select.selectOption({ label: "The first page" });
      expect(await visible()).toEqual(["The first page"]);
    });

    it("reads every sample and example without JavaScript, with no dead copy button", async () => {
      const noScript = await browser.newContext({ javaScriptEnabled: false });
      try {
        const reader = await noScript.newPage();
        await reader.goto(`${server.base}/docs/operations/listExhibits`);
        expect(await reader.locator("figure[data-example]:visible").count()).toBe(2);
        expect(await reader.locator("button[data-copy]:visible").count()).toBe(0);
        // A <details> opens from its <summary> without any script.
        const closed = reader.locator("details.sample:not([open]) > summary");
        while ((await closed.count()) > 0) await closed.first().click();
        const codes = await reader.locator("details.sample pre").allInnerTexts();
        expect(codes).toHaveLength(LANGUAGES.length);
        for (const code of codes) expect(code).toContain("/v1/exhibits");
      } finally {
        await noScript.close();
      }
    });

    it("sends a cookie API key from try-it, for the API's path only, and takes it back after", async () => {
      await page.goto(`${server.base}/docs/operations/buyTicket`);
      const form = page.locator("form[data-try-it]");
      await form.locator('input[name="auth.apiKey"][data-in="cookie"]').fill(key);
      const sent = page.waitForRequest((request) => new URL(request.url()).pathname === "/v1/tickets");
      await form.locator('button[type="submit"]').click();
      const request = await sent;
      expect(await request.headerValue("cookie")).toContain(`museum_key=${key}`);
      expect(await request.headerValue("x-api-key")).toBeNull();
      expect(request.postDataJSON()).toEqual({ date: "2026-12-01", type: "adult" });
      const output = form.locator("[data-try-it-output]");
      await output.filter({ hasText: /\b201\b/ }).waitFor({ timeout: 15_000 });
      expect(await output.innerText()).toContain("tk-42");
      expect((await context.cookies(server.base)).map((cookie) => cookie.name)).not.toContain("museum_key");
    });

    it("sends a multipart body from try-it, the chosen file among its parts, with the browser's boundary", async () => {
      await page.goto(`${server.base}/docs/operations/addExhibitPhoto`);
      expect(await sampleCode(page, "curl")).toContain("--form 'photo=@photo.png;type=image/png'");
      const form = page.locator("form[data-try-it]");
      const output = form.locator("[data-try-it-output]");
      const send = async () => {
        const sent = page.waitForRequest((request) => request.url().endsWith("/v1/exhibits/ex-1001/photos"));
        await form.locator('button[type="submit"]').click();
        expect(await (await sent).headerValue("content-type")).toMatch(/^multipart\/form-data; boundary=/);
        await output.locator(".try-it-status").waitFor({ timeout: 15_000 });
        return output.innerText();
      };
      // Chromium does not show a test the body of a request that carries a file: the gateway's validation tells what arrived.
      await form.locator('input[name="part.caption"]').fill("From the east gallery");
      const withoutPhoto = await send();
      expect(withoutPhoto).toMatch(/^400\b/);
      expect(withoutPhoto).toContain("photo");
      await form
        .locator('input[type=file][name="part.photo"]')
        .setInputFiles({ name: "starry.png", mimeType: "image/png", buffer: Buffer.from("not really a png") });
      expect(await send()).toMatch(/^201\b/);
    });

    it("samples OpenAI's chat completion with a body the gateway's validator accepts, in every language and in try-it", async () => {
      await page.goto(`${server.base}/openai/operations/createChatCompletion`);
      const body = curlJson(await sampleCode(page, "curl")) as { model?: unknown; messages?: unknown[] };
      expect(body.messages?.length).toBeGreaterThan(0);
      expect(body.model).toBeTypeOf("string");
      const check = openai.checkAt!("/components/schemas/CreateChatCompletionRequest", "request")!;
      expect(check(body)).toEqual([]);
      for (const label of LANGUAGES) expect(await sampleCode(page, label), label).toMatch(/messages/);
      expect(JSON.parse(await page.locator("form[data-try-it] textarea[name=body]").inputValue())).toEqual(body);
    });

    it("ran without script errors", () => {
      expect(scriptErrors).toEqual([]);
    });
  });

  describe("Stripe's document, answered by mock", () => {
    let server: DevServer;
    let page: Page;
    let key: string;
    const scriptErrors: string[] = [];

    beforeAll(async () => {
      server = await startDevServer({
        prepare: (project) => {
          rmSync(join(project, "openapi"), { recursive: true, force: true });
          rmSync(join(project, "portal", "pages"), { recursive: true, force: true });
          mkdirSync(join(project, "openapi"));
          writeFileSync(join(project, "openapi", "openapi.yaml"), `${fixture("stripe/spec3.trimmed.yaml.gz").toString("utf8")}\nx-portico:\n  handler: mock\n`);
          writeFileSync(join(project, "portal", "portal.config"), "title: Stripe\nbasePath: /docs\n");
        },
        ready: (base) => fetch(`${base}/docs/`).then((response) => response.ok),
      });
      key = createKey(server.project, "stripe-sampler");
      page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      page.on("pageerror", (error) => scriptErrors.push(`${page.url()}: ${error.message}`));
    }, 240_000);

    afterAll(() => server?.stop());

    it("writes a POST's curl body form-urlencoded, nested objects in brackets", async () => {
      await page.goto(`${server.base}/docs/operations/PostCustomers`);
      const curl = await sampleCode(page, "curl");
      expect(curl).toContain("--header 'Content-Type: application/x-www-form-urlencoded'");
      const names = [...curl.matchAll(/--data-urlencode '([^=']*)=/g)].map(([, name]) => decodeURIComponent(name));
      expect(names.length).toBeGreaterThan(0);
      expect(names.some((name) => /^\w+\[\w+\]/.test(name))).toBe(true);
      expect(curl).not.toContain("--data '{");
    });

    it("sends the form body from try-it, and the gateway admits it", async () => {
      await page.goto(`${server.base}/docs/operations/PostCustomers`);
      const form = page.locator("form[data-try-it]");
      expect(await form.locator("[data-body-for]:visible").getAttribute("data-body-kind")).toBe("form");
      await form.locator('[name="auth.basic.user"]').fill("stripe-sampler");
      await form.locator('[name="auth.basic.password"]').fill(key);
      const sent = page.waitForRequest((request) => new URL(request.url()).pathname === "/v1/customers" && request.method() === "POST");
      await form.locator('button[type="submit"]').click();
      const request = await sent;
      expect(await request.headerValue("content-type")).toBe("application/x-www-form-urlencoded");
      const pairs = [...new URLSearchParams(request.postData() ?? "")];
      expect(pairs.length).toBeGreaterThan(0);
      expect(pairs.map(([name]) => name)).toEqual((await form.locator("textarea[name=body]").inputValue()).split("\n").map((line) => line.split("=")[0]));
      const output = form.locator("[data-try-it-output]");
      await output.locator(".try-it-status").waitFor({ timeout: 15_000 });
      expect(await output.locator(".try-it-status").innerText()).toMatch(/^200\b/);
      expect(await output.innerText()).toContain('"object": "customer"');
    });

    it("has no serious or critical axe-core violations on a page with a form body and every sample open", async () => {
      await page.goto(`${server.base}/docs/operations/PostCustomers`);
      const closed = page.locator("details.sample:not([open]) > summary");
      while ((await closed.count()) > 0) await closed.first().click();
      const blocking = (await axeViolations(page)).filter((violation) => violation.impact === "serious" || violation.impact === "critical");
      expect(blocking, describeViolations(blocking)).toEqual([]);
    });

    it("ran without script errors", () => {
      expect(scriptErrors).toEqual([]);
    });
  });
});
