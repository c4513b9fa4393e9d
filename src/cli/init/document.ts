/**
 * @module
 * The document `portico init` puts in openapi/: the user's, given a root
 * `x-portico.handler: mock` when it has none, so every operation answers from
 * its own examples and schemas at once (or, with `--upstream`, `handler: forward`
 * to the real service); or, for `--empty`, a new one.
 *
 * A YAML document gets the setting as text inserted before `paths`, so its
 * comments, key order and layout stay exactly as written; a JSON document is
 * written again with two-space indentation.
 */
import { isMap, isScalar, parseDocument } from "yaml";

/** The root handler init writes: the mock, or a forward to the service at `upstream`. */
export type DefaultHandler = { handler: "mock" } | { handler: "forward"; upstream: string };

/** The handler's lines as they stand in the root x-portico (JSON-quoted URL: YAML reads it as written). */
function handlerLines(handler: DefaultHandler): string[] {
  return handler.handler === "mock" ? ["handler: mock"] : ["handler: forward", `upstream: ${JSON.stringify(handler.upstream)}`];
}

/** How the handler got there: added with a new x-portico, added to the document's own x-portico, or already there. */
export type HandlerChange = "added" | "added-to-extension" | "none";

const FORWARD_HINT = [
  "Portico answers every operation from its examples and schemas (the mock handler).",
  "To reach the real service, write handler: forward and upstream: <its base URL>,",
  "e.g. https://api.example.com; operations keep their paths. See docs/x-portico.md.",
];

export const EMPTY_DOCUMENT = `openapi: 3.1.0
info:
  title: My API
  version: 0.1.0
  description: A new API, served by Portico.
servers:
  - url: http://localhost:8787
paths:
  /hello:
    get:
      operationId: hello
      summary: Say hello
      responses:
        "200":
          description: A greeting.
          content:
            application/json:
              schema:
                type: object
                required: [message]
                properties:
                  message: { type: string }
              example: { message: Hello from the edge }
`;

/** Where a new root key goes: before `paths` and the comment lines just above it, else at the end. */
function insertionPoint(text: string, pathsKeyAt: number | undefined): number {
  if (pathsKeyAt === undefined) return text.length;
  let start = text.lastIndexOf("\n", pathsKeyAt - 1) + 1;
  while (start > 0) {
    const previous = text.lastIndexOf("\n", start - 2) + 1;
    if (!/^[ \t]*#/.test(text.slice(previous, start - 1))) break;
    start = previous;
  }
  return start;
}

function yamlWithHandler(text: string, intoExtension: boolean, handler: DefaultHandler): { text: string; change: HandlerChange } {
  const document = parseDocument(text);
  const root = document.contents;
  if (!isMap(root)) return { text, change: "none" };
  const extension = root.get("x-portico", true);
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  if (isMap(extension)) {
    // A document that names its own upstream keeps it: init adds no second one.
    if (extension.has("handler") || extension.has("upstream") || !intoExtension) return { text, change: "none" };
    const first = extension.items[0]?.key;
    const firstAt = !extension.flow && isScalar(first) ? first.range?.[0] : undefined;
    if (firstAt !== undefined) {
      // A line of its own above the first key, indented as that key is.
      const lineStart = text.lastIndexOf("\n", firstAt - 1) + 1;
      const indent = text.slice(lineStart, firstAt);
      if (/^[ ]+$/.test(indent)) {
        const lines = handlerLines(handler).map((line) => `${indent}${line}${eol}`);
        return { text: `${text.slice(0, lineStart)}${lines.join("")}${text.slice(lineStart)}`, change: "added-to-extension" };
      }
    }
    // A flow mapping: rare enough to accept the library's layout of the file.
    for (const [key, value] of Object.entries(handler)) document.setIn(["x-portico", key], value);
    return { text: document.toString(), change: "added-to-extension" };
  }
  if (extension !== undefined && !(isScalar(extension) && extension.value === null)) return { text, change: "none" };
  const paths = root.items.find((pair) => isScalar(pair.key) && pair.key.value === "paths");
  const keyAt = isScalar(paths?.key) ? paths.key.range?.[0] : undefined;
  if (root.flow || extension !== undefined || (keyAt !== undefined && text.lastIndexOf("\n", keyAt - 1) + 1 !== keyAt)) {
    document.set("x-portico", document.createNode({ ...handler }));
    return { text: document.toString(), change: "added" };
  }
  const at = insertionPoint(text, keyAt);
  const before = text.slice(0, at);
  const separated = before === "" || before.endsWith(`${eol}${eol}`) ? before : before.endsWith(eol) ? `${before}${eol}` : `${before}${eol}${eol}`;
  const hint = handler.handler === "mock" ? FORWARD_HINT.map((line) => `# ${line}`) : [];
  const block = [...hint, "x-portico:", ...handlerLines(handler).map((line) => `  ${line}`), ""].join(eol);
  const after = text.slice(at);
  return { text: `${separated}${block}${after === "" || after.startsWith(eol) ? "" : eol}${after}`, change: "added" };
}

function jsonWithHandler(text: string, intoExtension: boolean, handler: DefaultHandler): { text: string; change: HandlerChange } {
  const value = JSON.parse(text) as Record<string, unknown>;
  const extension = value["x-portico"] as Record<string, unknown> | undefined;
  if (extension && typeof extension === "object" && ("handler" in extension || "upstream" in extension || !intoExtension)) return { text, change: "none" };
  let out: Record<string, unknown>;
  if (extension && typeof extension === "object") out = { ...value, "x-portico": { ...extension, ...handler } };
  else {
    out = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === "paths") out["x-portico"] = { ...handler };
      if (key !== "x-portico") out[key] = item;
    }
    out["x-portico"] ??= { ...handler };
  }
  return { text: `${JSON.stringify(out, null, 2)}\n`, change: extension ? "added-to-extension" : "added" };
}

/**
 * The document with a root handler (`x-portico.handler: mock`, or a forward to an upstream) where it has
 * none: always when it has no x-portico (operations added later answer too), and into its own x-portico
 * only when `intoExtension` (some operation names no handler of its own).
 */
export function withDefaultHandler(
  text: string,
  format: "yaml" | "json",
  intoExtension: boolean,
  handler: DefaultHandler = { handler: "mock" },
): { text: string; change: HandlerChange } {
  return format === "json" ? jsonWithHandler(text, intoExtension, handler) : yamlWithHandler(text, intoExtension, handler);
}
