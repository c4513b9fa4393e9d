import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Deprecation } from "./upgrade/deprecations.ts";
import { doctorReport } from "./upgrade/doctor-report.ts";
import { requirements } from "./upgrade/requirements.ts";

// Portico's own table is empty: this one stands in for a release that renamed a rate-limit option.
const TABLE: Deprecation[] = [{ in: { options: "rate-limit" }, from: "windowSeconds", to: "window", since: "0.2.0" }];

const DOCUMENT = `openapi: 3.1.0
info: { title: Orders, version: "1" }
x-portico:
  handler: mock
  policies:
    per-ip:
      use: rate-limit
      options: { limit: 10, windowSeconds: 60, by: ip }
paths:
  /orders:
    get:
      x-portico: { inbound: [per-ip] }
      responses: { "200": { description: ok, content: { application/json: { example: [] } } } }
`;

const made: string[] = [];
afterEach(() => made.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "portico-doctor-"));
  made.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(root, file, ".."), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

describe("portico doctor", () => {
  it("reports an old compatibility date, an old wrangler, a missing binding and a deprecated key with its new spelling", async () => {
    const needs = requirements();
    const root = project({
      "openapi/openapi.yaml": DOCUMENT,
      "wrangler.toml": 'name = "orders"\nmain = ".portico/worker.ts"\ncompatibility_date = "2024-01-01"\n',
      "node_modules/wrangler/package.json": '{ "name": "wrangler", "version": "3.0.0" }',
      "package.json": '{ "name": "orders", "dependencies": { "portico": "^0.1.0" } }',
    });
    const report = await doctorReport(root, { deprecations: TABLE });
    expect(report.project).toEqual({ compatibilityDate: "2024-01-01", compatibilityFlags: [], wrangler: "3.0.0" });
    expect(report.layout).toEqual({ kind: "package", version: undefined });
    const messages = report.findings.map((finding) => finding.message);
    expect(messages).toContain(`compatibility_date is 2024-01-01; Portico ${needs.version} is built and tested against ${needs.compatibilityDate}.`);
    expect(messages).toContain(`wrangler 3.0.0 is installed; Portico ${needs.version} needs ${needs.wrangler}.`);
    const binding = report.findings.find((finding) => finding.message.includes("RATE_LIMITER"));
    expect(binding?.message).toContain("does not declare");
    expect(binding?.where).toMatch(/^openapi\/openapi\.yaml:/);
    expect(binding?.hint).toContain('class_name = "RateLimiter"');
    const deprecated = report.findings.find((finding) => finding.message.includes("windowSeconds"));
    expect(deprecated).toMatchObject({
      message: 'x-portico key "windowSeconds" is deprecated since Portico 0.2.0: it is now spelt "window".',
      where: "openapi/openapi.yaml:8 (/x-portico/policies/per-ip/options/windowSeconds)",
      hint: '`npx portico migrate` renames it to "window".',
    });
    // The document was checked as migrate would leave it, and left as it was.
    expect(readFileSync(join(root, "openapi/openapi.yaml"), "utf8")).toBe(DOCUMENT);
    expect(readdirSync(join(root, "openapi"))).toEqual(["openapi.yaml"]);
  });

  it("finds nothing in a project that matches this Portico, and names a bound class no migration creates", async () => {
    const needs = requirements();
    const wrangler = (migrations: string) =>
      `name = "orders"\ncompatibility_date = "${needs.compatibilityDate}"\ncompatibility_flags = ${JSON.stringify(needs.compatibilityFlags)}\n` +
      `[[durable_objects.bindings]]\nname = "RATE_LIMITER"\nclass_name = "RateLimiter"\n${migrations}`;
    const files = {
      "openapi/openapi.yaml": DOCUMENT.replace("windowSeconds", "window"),
      "node_modules/wrangler/package.json": JSON.stringify({ version: readJson("node_modules/wrangler/package.json").version }),
    };
    const fine = await doctorReport(project({ ...files, "wrangler.toml": wrangler('[[migrations]]\ntag = "v1"\nnew_sqlite_classes = ["RateLimiter"]\n') }));
    expect(fine.findings).toEqual([]);
    const unmigrated = await doctorReport(project({ ...files, "wrangler.toml": wrangler("") }));
    expect(unmigrated.findings.map((finding) => finding.message)).toEqual([
      "The Durable Object binding RATE_LIMITER names RateLimiter, which no [[migrations]] entry creates: wrangler will refuse to deploy it.",
    ]);
  });
});

function readJson(file: string): Record<string, any> {
  return JSON.parse(readFileSync(file, "utf8"));
}
