/**
 * @module
 * The self-consistency check: every document is built with the mock handler
 * and request validation on, and its synthesised requests (synthesize.ts) are
 * sent to it. A valid request must be admitted (anything but a validation
 * refusal, a 404 or a 405); the broken one must be refused with 400 and an
 * `errors` entry at the broken place.
 *
 * Each document is built with its security removed (the check is about
 * validation, which runs after authentication) and with its first
 * MAX_OPERATIONS operations only, spread evenly over the document when it has
 * more. All documents are compiled into one scratch folder and served by one
 * workerd (bundled by wrangler, served through Miniflare on a direct socket);
 * a request header picks the document. Documents with the same content (a
 * JSON and YAML twin) are built once.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest, Agent } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { serveBundle } from "../../bench/lib/gateway.ts";
import { bundleEntry } from "../../bench/lib/workerd.ts";
import { compile } from "../../src/compiler/compile.ts";
import { loadSpec } from "../../src/compiler/spec/load-spec.ts";
import { hasSharedFixtures, manifestDocuments, SHARED_FAILURES, sharedFixtures } from "../support/shared-fixtures.ts";
import { type Expected, type OperationCase, operationsOf, servedDocument, type Synthesized, Synthesizer } from "./synthesize.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url).href);
const LOCAL_SPECS = join(ROOT, "test/fixtures/specs");
/** Operations per document; a larger document's are taken evenly spread. */
export const MAX_OPERATIONS = 12;
/** The request header that picks the document in the shared workerd. */
const PICK = "x-consistency-document";

export interface ConsistencyDocument {
  /** As shown in the table: test/fixtures/specs/… or ../shared/fixtures/…. */
  name: string;
  file: string;
  shared: boolean;
}

export function consistencyDocuments({ shared = hasSharedFixtures }: { shared?: boolean } = {}): ConsistencyDocument[] {
  const expected: Record<string, { error?: unknown }> = JSON.parse(readFileSync(join(LOCAL_SPECS, "expected.json"), "utf8"));
  const out: ConsistencyDocument[] = Object.entries(expected)
    .filter(([, want]) => !want.error)
    .map(([file]) => ({ name: `test/fixtures/specs/${file}`, file: join(LOCAL_SPECS, file), shared: false }));
  if (shared)
    for (const { file } of manifestDocuments())
      if (!(file in SHARED_FAILURES)) out.push({ name: `../shared/fixtures/${file}`, file: join(sharedFixtures, file), shared: true });
  return out;
}

export interface OperationResult {
  operation: string;
  valid: { request: Synthesized; status: number; body: string; admitted: boolean };
  broken?: { what: string; request: Synthesized; expected: Expected; status: number; body: string; refused: boolean };
  examplesReplaced: string[];
  unsent?: string;
}

export interface DocumentResult {
  document: ConsistencyDocument;
  /** Operations the document has. */
  operations: number;
  results: OperationResult[];
  error?: string;
}

interface Answer {
  status: number;
  body: string;
  contentType: string;
}

function send(base: URL, agent: Agent, document: number, request: Synthesized): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...request.headers, [PICK]: String(document) };
    if (request.body) headers["content-length"] = String(request.body.length);
    const outgoing = httpRequest({ host: base.hostname, port: base.port, path: request.url, method: request.method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          contentType: String(response.headers["content-type"] ?? ""),
        }),
      );
      response.on("error", reject);
    });
    outgoing.setTimeout(30_000, () => outgoing.destroy(new Error(`${request.method} ${request.url}: no answer within 30 s`)));
    outgoing.on("error", reject);
    outgoing.end(request.body);
  });
}

/** A refusal of the gateway's own (a problem), not an answer of the mock that the document declares. */
const gatewayRefusal = (answer: Answer) => [400, 404, 405, 413, 415].includes(answer.status) && answer.contentType.includes("problem+json");

function pointsAt(answer: Answer, expected: Expected): boolean {
  if (answer.status !== 400) return false;
  let errors: Array<{ in?: string; name?: string; pointer?: string }> = [];
  try {
    errors = JSON.parse(answer.body).errors ?? [];
  } catch {
    return false;
  }
  return errors.some((error) => {
    if (error.in !== expected.in) return false;
    if (expected.name !== undefined) return error.name?.toLowerCase() === expected.name.toLowerCase();
    return error.pointer === expected.pointer;
  });
}

/** Evenly spread, in document order. */
function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]);
}

/** Builds, serves and asks every document; results in the order given. */
export async function runConsistency(documents: ConsistencyDocument[], { log = (_: string) => {} } = {}): Promise<DocumentResult[]> {
  const work = mkdtempSync(join(tmpdir(), "portico-consistency-"));
  try {
    const built = new Map<string, { index: number; cases: OperationCase[]; operations: number } | { error: string }>();
    const prepared: Array<{ key: string }> = [];
    const apps: string[] = [];
    for (const document of documents) {
      const started = performance.now();
      const loaded = await loadSpec(dirname(document.file), document.file);
      const key = createHash("sha256").update(JSON.stringify(loaded.document)).digest("hex");
      prepared.push({ key });
      if (built.has(key)) continue;
      const all = operationsOf(loaded.document);
      const chosen = spread(all, MAX_OPERATIONS);
      const synthesizer = new Synthesizer(loaded.document);
      const cases: OperationCase[] = [];
      for (const { path, method, pointer } of chosen) cases.push(await synthesizer.case(path, method, pointer));
      const dir = join(work, `d${apps.length}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "openapi.json"), JSON.stringify(servedDocument(loaded.document, chosen)));
      const result = await compile({ root: dir, spec: "openapi.json", outDir: join(dir, "app"), defaultHandler: "mock" });
      if (result.errors.length > 0) {
        built.set(key, { error: result.errors.map((error) => error.format()).join("\n") });
        continue;
      }
      built.set(key, { index: apps.length, cases, operations: all.length });
      apps.push(relative(work, join(dir, "app/app.ts")));
      log(`${document.name}: ${chosen.length} of ${all.length} operations synthesised and built in ${(performance.now() - started).toFixed(0)} ms`);
    }
    const entry = [
      ...apps.map((app, i) => `import app${i} from ${JSON.stringify(`./${app}`)};`),
      `const apps = [${apps.map((_, i) => `app${i}`).join(", ")}];`,
      `export default { fetch(request, env, ctx) { return apps[Number(request.headers.get(${JSON.stringify(PICK)}))].fetch(request, env, ctx); } };`,
      "",
    ].join("\n");
    writeFileSync(join(work, "entry.ts"), entry);
    const bundleStarted = performance.now();
    const { dir, modules } = await bundleEntry(join(work, "entry.ts"), work, "portico-consistency");
    const served = await serveBundle({ bundle: join(dir, modules[0]), via: "direct", onLog: () => {} });
    log(`bundled and served in ${(performance.now() - bundleStarted).toFixed(0)} ms`);
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    try {
      const out: DocumentResult[] = [];
      const asked = new Map<string, DocumentResult["results"]>();
      for (const [i, document] of documents.entries()) {
        const state = built.get(prepared[i].key)!;
        if ("error" in state) {
          out.push({ document, operations: 0, results: [], error: state.error });
          continue;
        }
        let results = asked.get(prepared[i].key);
        if (!results) {
          results = [];
          for (const item of state.cases) {
            if (item.unsent) {
              results.push({
                operation: item.operation,
                valid: { request: item.valid, status: 0, body: "", admitted: false },
                examplesReplaced: item.examplesReplaced,
                unsent: item.unsent,
              });
              continue;
            }
            const validAnswer = await send(served.url, agent, state.index, item.valid);
            const result: OperationResult = {
              operation: item.operation,
              valid: { request: item.valid, status: validAnswer.status, body: validAnswer.body, admitted: !gatewayRefusal(validAnswer) },
              examplesReplaced: item.examplesReplaced,
            };
            if (item.broken) {
              const answer = await send(served.url, agent, state.index, item.broken.request);
              result.broken = { ...item.broken, status: answer.status, body: answer.body, refused: pointsAt(answer, item.broken.expected) };
            }
            results.push(result);
          }
          asked.set(prepared[i].key, results);
        }
        out.push({ document, operations: state.operations, results });
      }
      return out;
    } finally {
      agent.destroy();
      await served.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface Counts {
  operations: number;
  tried: number;
  admitted: number;
  breakable: number;
  refused: number;
  examplesReplaced: number;
  nothingToBreak: number;
  unsent: number;
}

export function countsOf(result: DocumentResult): Counts {
  const sent = result.results.filter((r) => !r.unsent);
  return {
    operations: result.operations,
    tried: result.results.length,
    admitted: sent.filter((r) => r.valid.admitted).length,
    breakable: sent.filter((r) => r.broken).length,
    refused: sent.filter((r) => r.broken?.refused).length,
    examplesReplaced: result.results.reduce((n, r) => n + r.examplesReplaced.length, 0),
    nothingToBreak: sent.filter((r) => !r.broken).length,
    unsent: result.results.length - sent.length,
  };
}

/** What went wrong with one operation, for a test's message. */
export function failures(result: DocumentResult): string[] {
  const out: string[] = [];
  if (result.error) out.push(`does not build: ${result.error}`);
  const show = (request: Synthesized) =>
    `${request.method} ${request.url} ${JSON.stringify(request.headers)}${request.body ? ` body ${JSON.stringify(request.body.toString("utf8").slice(0, 300))}` : ""}`;
  for (const r of result.results) {
    if (r.unsent) continue;
    if (!r.valid.admitted) out.push(`${r.operation}: valid request refused ${r.valid.status}: ${show(r.valid.request)} → ${r.valid.body.slice(0, 400)}`);
    if (r.broken && !r.broken.refused)
      out.push(
        `${r.operation}: ${r.broken.what}: expected 400 at ${JSON.stringify(r.broken.expected)}, got ${r.broken.status}: ${show(r.broken.request)} → ${r.broken.body.slice(0, 400)}`,
      );
  }
  return out;
}
