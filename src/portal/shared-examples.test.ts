import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generatePortal } from "./generate.ts";

const stripe = parse(gunzipSync(readFileSync(new URL("../../test/fixtures/stripe/spec3.trimmed.yaml.gz", import.meta.url).pathname)).toString("utf8"));
const temp = mkdtempSync(join(tmpdir(), "portal-stripe-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/**
 * The trimmed Stripe portal's size while every operation page repeated the trees and examples of
 * the components it reaches (the portal of commit 04e0f6d~1): 606 pages, 9,157,914 bytes.
 */
const REPEATING = 9_157_914;

describe("Stripe's portal, where every operation answers errors with one component", async () => {
  const { bytes } = await generatePortal({ root: temp, document: stripe, operations: [], outDir: join(temp, "dist", "portal") });
  const site = join(temp, "dist", "portal", "docs");
  const operations = readdirSync(join(site, "operations")).map((name) => readFileSync(join(site, "operations", name), "utf8"));
  const examplesOf = (html: string) =>
    [...html.matchAll(/<div class="examples"[^>]*>[\s\S]*?<\/div>/g)].map(([block]) => block.replace(/ id="[^"]*"|aria-controls="[^"]*"/g, ""));

  it("shows the error example once, on the error schema's page, which every operation links", () => {
    const error = readFileSync(join(site, "schemas", "error.html"), "utf8");
    expect(error).toContain('<h2 id="example">Example</h2>');
    const example = examplesOf(error)[0];
    expect(example).toBeDefined();
    for (const page of operations) {
      expect(page).toContain('href="../schemas/error#example"');
      expect(examplesOf(page)).not.toContain(example);
    }
  });

  it("repeats no example of a kilobyte or more on more than three operation pages", () => {
    const pages = new Map<string, number>();
    for (const page of operations) for (const block of new Set(examplesOf(page))) pages.set(block, (pages.get(block) ?? 0) + 1);
    expect([...pages].filter(([block, count]) => block.length >= 1024 && count > 3)).toEqual([]);
  });

  it("weighs at most half of what it did while pages repeated the components they reach", () => {
    console.log(`Stripe's trimmed portal: ${bytes} bytes, ${((100 * bytes) / REPEATING).toFixed(0)}% of ${REPEATING}`);
    expect(bytes).toBeLessThanOrEqual(REPEATING / 2);
  });
});
