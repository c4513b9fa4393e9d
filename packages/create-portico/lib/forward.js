/**
 * @module
 * `--default-handler forward --upstream <url>`: the root handler `portico init` added
 * (`handler: mock`) becomes `forward` to the upstream, so every operation without a
 * handler of its own reaches the real service at the same path.
 */
import { readFileSync, writeFileSync } from "node:fs";

/** The document with its root mock handler made a forward to `upstream`; undefined when it has no such line. */
export function forwardTo(text, format, upstream) {
  if (format === "json") {
    const document = JSON.parse(text);
    if (document["x-portico"]?.handler !== "mock") return undefined;
    document["x-portico"] = { ...document["x-portico"], handler: "forward", upstream };
    return `${JSON.stringify(document, null, 2)}\n`;
  }
  // init writes the root extension as a block (`x-portico:` then `  handler: mock`) or adds that line to the document's own.
  const block = /^x-portico:[ \t]*\r?\n(?:(?:[ \t]*#.*|[ \t]*)\r?\n)*?([ \t]+)handler: mock[ \t]*(\r?\n)/m.exec(text);
  if (!block) return undefined;
  const [line, indent, eol] = [block[0], block[1], block[2]];
  const replaced = line.replace(/handler: mock[ \t]*\r?\n$/, `handler: forward${eol}${indent}upstream: ${JSON.stringify(upstream)}${eol}`);
  const forwarded = text.slice(0, block.index) + replaced + text.slice(block.index + line.length);
  // The hint init writes above the block says how to do what this did.
  return forwarded.replace(/^# Portico answers every operation .*\r?\n# To reach the real service.*\r?\n# e\.g\. .*\r?\n/m, "");
}

export function forwardDocument(file, upstream) {
  const text = readFileSync(file, "utf8");
  const changed = forwardTo(text, file.endsWith(".json") ? "json" : "yaml", upstream);
  if (changed !== undefined) writeFileSync(file, changed);
  return changed !== undefined;
}
