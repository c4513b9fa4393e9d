/**
 * A real API's own document served by Portico for an official SDK to call:
 * compiled with the mock handler into test/.generated/<name>, bundled by
 * wrangler and served by workerd through Miniflare on 127.0.0.1, as the bench
 * serves its gateway (bench/lib), with one consumer whose key the SDK sends.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { expect } from "vitest";
import { serveBundle, type Served } from "../../bench/lib/gateway.ts";
import { bundleEntry } from "../../bench/lib/workerd.ts";
import { compile } from "../../src/compiler/compile.ts";

const root = fileURLToPath(new URL("../..", import.meta.url).href);

/** serveBundle stores its consumer under this id. */
export const CONSUMER = "bench-consumer";

/** A request the SDK made and the status it got, whether or not the SDK threw. */
export interface Answer {
  method: string;
  path: string;
  status: number;
}

export interface SdkGateway {
  served: Served;
  /** Every request the SDK made; the test's client pushes to it. */
  answers: Answer[];
  /** Runs one SDK call; it must not throw, and every request it made must be answered 2xx. */
  admitted<T>(call: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `document`: the gzipped document under test/fixtures, or the document's own bytes; served as openapi/<specFile>. */
export async function serveDocument(name: string, document: string | Buffer, specFile: string, apiKey?: string): Promise<SdkGateway> {
  const work = mkdtempSync(join(tmpdir(), `portico-${name}-`));
  const outDir = join(root, "test/.generated", name);
  mkdirSync(join(work, "openapi"));
  const text = typeof document === "string" ? gunzipSync(readFileSync(join(root, "test/fixtures", document))) : document;
  writeFileSync(join(work, "openapi", specFile), text);
  const result = await compile({ root: work, outDir, defaultHandler: "mock" });
  if (result.errors.length > 0) throw new Error(result.errors.map((error) => error.format()).join("\n"));
  writeFileSync(join(work, "worker.ts"), `export { default } from ${JSON.stringify(join(outDir, "app.ts"))};\n`);
  const { dir, modules } = await bundleEntry(join(work, "worker.ts"), work, `portico-${name}`);
  const served = await serveBundle({ bundle: join(dir, modules[0]), via: "direct", apiKey, onLog: () => {} });
  const answers: Answer[] = [];
  return {
    served,
    answers,
    async admitted(call) {
      const before = answers.length;
      const outcome = await call();
      const made = answers.slice(before);
      expect(made.length).toBeGreaterThan(0);
      for (const answer of made) expect(answer.status, `${answer.method} ${answer.path}`).toBeLessThan(300);
      return outcome;
    },
    async close() {
      await served.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
