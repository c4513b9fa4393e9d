/**
 * The developer portal generated from the public document of every manifest
 * document of ../shared/fixtures that compiles: real APIs of up to several
 * hundred operations must each get a page per operation, a search index, and
 * a home page small enough to load at once.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSpec } from "../../src/compiler/spec/load-spec.ts";
import { generatePortal } from "../../src/portal/generate.ts";
import type { PortalInput } from "../../src/portal-input.ts";
import {
  hasSharedFixtures,
  manifestDocuments,
  SHARED_FAILURES,
  sharedFixtures,
  sharedFixturesMissing,
  withSharedFixtures,
} from "../support/shared-fixtures.ts";

const HOME_PAGE_LIMIT = 150 * 1024;
const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** What the compiler would plan for each operation, without any limit. */
function operationsOf(document: Record<string, any>): PortalInput["operations"] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    methods
      .filter((method) => (item as Record<string, any> | null)?.[method])
      .map((method) => {
        const operationId = (item as Record<string, any>)[method].operationId;
        return { operationId: operationId ? String(operationId) : `${method.toUpperCase()} ${path}`, method, path, limits: [] };
      }),
  );
}

interface Row {
  document: string;
  operations: number;
  operationPages: number;
  pages: number;
  bytes: number;
  homeBytes: number;
  loadMs: number;
  generateMs: number;
}

const title = hasSharedFixtures
  ? "the portal of every compiling document in ../shared/fixtures"
  : `the portal of every compiling document in ../shared/fixtures: ${sharedFixturesMissing}`;

describe(title, withSharedFixtures, () => {
  if (!hasSharedFixtures) it("portals of ../shared/fixtures", () => {});
  const temp = mkdtempSync(join(tmpdir(), "portico-portals-"));
  const rows: Row[] = [];
  afterAll(() => {
    rmSync(temp, { recursive: true, force: true });
    if (rows.length === 0) return;
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    console.table(
      rows.map((row) => ({
        document: row.document.replace(/^openapi\//, ""),
        operations: row.operations,
        "operation pages": row.operationPages,
        pages: row.pages,
        bytes: row.bytes,
        home: kb(row.homeBytes),
        "load ms": Math.round(row.loadMs),
        "generate ms": Math.round(row.generateMs),
      })),
    );
    const slowest = rows.reduce((a, b) => (b.generateMs > a.generateMs ? b : a));
    const total = rows.reduce((sum, row) => sum + row.loadMs + row.generateMs, 0);
    console.log(
      `slowest portal: ${slowest.document}, ${Math.round(slowest.generateMs)} ms for ${slowest.operations} operations; load and generate, all documents: ${Math.round(total)} ms`,
    );
  });

  const compiling = hasSharedFixtures ? manifestDocuments().filter((doc) => !SHARED_FAILURES[doc.file]) : [];
  compiling.forEach((doc, index) => {
    it(`${doc.file}: a page per operation, a search index, a home page under 150 KB`, { timeout: 60_000 }, async () => {
      const loadStart = performance.now();
      const loaded = await loadSpec(sharedFixtures, join(sharedFixtures, doc.file));
      const loadMs = performance.now() - loadStart;
      const document = loaded.publicDocument as Record<string, any>;
      const operations = operationsOf(document);
      const root = join(temp, String(index));
      const start = performance.now();
      const result = await generatePortal({ root, document, operations, outDir: join(root, "dist", "portal") });
      const generateMs = performance.now() - start;

      const site = join(root, "dist", "portal", "docs");
      const operationFolder = join(site, "operations");
      const operationPages = existsSync(operationFolder) ? readdirSync(operationFolder).filter((name) => name.endsWith(".html")).length : 0;
      const homeBytes = statSync(join(site, "index.html")).size;
      rows.push({ document: doc.file, operations: operations.length, operationPages, pages: result.pages, bytes: result.bytes, homeBytes, loadMs, generateMs });

      expect(operations.length).toBe(doc.operations);
      expect(operationPages).toBe(operations.length);
      expect(existsSync(join(site, "search-index.json"))).toBe(true);
      expect(homeBytes).toBeLessThan(HOME_PAGE_LIMIT);
    });
  });
});
