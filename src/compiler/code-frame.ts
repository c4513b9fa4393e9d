/**
 * @module
 * Code frames: the line a problem is on, a caret under its column and a line
 * of context each side, as babel and esbuild print them. One helper for every
 * build error that has a line, whatever found it (the spec's checks, the YAML
 * parser, the bundler, tsc). Warnings get none: a document can have hundreds.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { BuildError } from "./errors.ts";

/** Lines longer than this are cut around the column: a minified JSON document is one line. */
const WIDTH = 120;

/**
 * ```
 *   10 |   inbound(request, _ctx, options) {
 * > 11 |     headers.set("x-greeting", String(options.greting);
 *      |                                                     ^
 *   12 |     return new Request(request, { headers });
 * ```
 * Undefined when the line is not in the text.
 */
export function codeFrame(text: string, line: number, column?: number): string | undefined {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (!Number.isInteger(line) || line < 1 || line > lines.length) return undefined;
  const first = Math.max(1, line - 1);
  const last = Math.min(lines.length, line + 1);
  const gutter = String(last).length;
  // One window for every line shown, so the context stays aligned with the marked line.
  const start = column && lines[line - 1].length > WIDTH ? Math.max(0, column - 1 - WIDTH / 2) : 0;
  const cut = (source: string) => {
    const shown = source.slice(start, start + WIDTH);
    return `${start > 0 ? "…" : ""}${shown}${source.length > start + WIDTH ? "…" : ""}`;
  };
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const source = cut(lines[n - 1]);
    out.push(`${n === line ? ">" : " "} ${String(n).padStart(gutter)} | ${source}`.trimEnd());
    if (n !== line || !column) continue;
    // Tabs stay tabs, so the caret lands under the column however wide the terminal draws them.
    const before = source.slice(0, column - 1 - start + (start > 0 ? 1 : 0)).replace(/[^\t]/g, " ");
    out.push(`  ${" ".repeat(gutter)} | ${before}^`);
  }
  return out.join("\n");
}

/** Gives each located error without a frame the frame of its place, reading each file once. */
export function addFrames(errors: BuildError[], root: string): void {
  const texts = new Map<string, string | undefined>();
  const textOf = (file: string) => {
    if (!texts.has(file)) {
      try {
        texts.set(file, readFileSync(resolve(root, file), "utf8"));
      } catch {
        texts.set(file, undefined);
      }
    }
    return texts.get(file);
  };
  for (const error of errors) {
    const { file, line, column } = error.location;
    if (error.frame || !line) continue;
    const text = textOf(file);
    if (text !== undefined) error.frame = codeFrame(text, line, column);
  }
}
