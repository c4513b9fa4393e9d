/**
 * @module
 * The files of the user's spec as parsed text: parses YAML or JSON with
 * positions, and maps a JSON pointer in the bundled document back to the file,
 * pointer, line and column it came from (following external $refs).
 */
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import { BuildError, pointerOf, tokensOf, type Location } from "../errors.ts";
import { JsonPositions } from "./json-positions.ts";
import { afterLastToken, placeOfYamlError } from "./yaml-error.ts";

interface ParsedFile {
  value: unknown;
  text: string;
  yaml?: { doc: Document; lines: LineCounter };
  /** A JSON file's positions, found on demand (see json-positions.ts). */
  json?: JsonPositions;
}

function positionOfOffset(text: string, offset: number) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

export class SourceSet {
  #files = new Map<string, ParsedFile>();

  /** The project root; locations are reported relative to it. */
  readonly root: string;
  /** Absolute path of openapi/openapi.yaml (or .json). */
  readonly entry: string;

  constructor(root: string, entry: string) {
    this.root = root;
    this.entry = entry;
  }

  display(file: string): string {
    const rel = relative(this.root, file);
    return rel.startsWith("..") ? file : rel;
  }

  /** Parses a file once; a syntax error becomes a located BuildError. */
  parse(file: string): ParsedFile {
    const cached = this.#files.get(file);
    if (cached) return cached;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      throw new BuildError(
        { file: this.display(file), pointer: "" },
        "The file cannot be read.",
        "Check that the file exists and that $ref paths are relative to the file that holds them.",
      );
    }
    const parsed = file.endsWith(".json") ? this.#parseJson(file, text) : this.#parseYaml(file, text);
    this.#files.set(file, parsed);
    return parsed;
  }

  #parseJson(file: string, text: string): ParsedFile {
    try {
      return { value: JSON.parse(text), text };
    } catch (error) {
      const { message } = error as Error;
      const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
      // A missing comma is noticed at the next key, often on the next line: it goes after the value before.
      const at = /^Expected ',' or /.test(message) ? afterLastToken(text, offset) : offset;
      throw new BuildError(
        { file: this.display(file), pointer: "", ...positionOfOffset(text, at) },
        `JSON syntax error: ${message.replace(/ in JSON at position \d+.*$/, "")}`,
        "Fix the JSON syntax at that line (a missing comma or quote is the usual cause).",
      );
    }
  }

  #parseYaml(file: string, text: string): ParsedFile {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
    if (doc.errors.length > 0) {
      const { message, line, column } = placeOfYamlError(text, doc.errors, lines);
      throw new BuildError(
        { file: this.display(file), pointer: "", line, column },
        `YAML syntax error: ${message}`,
        "Fix the YAML at that line: check indentation, quoting and that each key appears once.",
      );
    }
    return { value: doc.toJS({ maxAliasCount: 10000 }), text, yaml: { doc, lines } };
  }

  #position(file: string, tokens: string[]): { line?: number; column?: number } {
    const parsed = this.parse(file);
    if (!parsed.yaml) return (parsed.json ??= new JsonPositions(parsed.text)).position(tokens);
    const { doc, lines } = parsed.yaml;
    // The position of a map entry is its key's ("get:"), not its value's first line.
    for (let n = tokens.length; n > 0; n--) {
      const parent = doc.getIn(tokens.slice(0, n - 1), true);
      const last = tokens[n - 1];
      let range: [number, number, number] | undefined;
      if (isMap(parent)) range = (parent.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === last)?.key as { range?: typeof range })?.range;
      else if (isSeq(parent)) range = (parent.items[Number(last)] as { range?: typeof range } | undefined)?.range;
      if (range) {
        const { line, col } = lines.linePos(range[0]);
        return { line, column: col };
      }
    }
    return { line: 1, column: 1 };
  }

  /**
   * Where a pointer into the bundled document really is: walks the source
   * files token by token, stepping into another file at each external $ref.
   */
  locate(pointer: string): Location {
    let file = this.entry;
    let node: any = this.parse(file).value;
    let here: string[] = [];
    for (const token of tokensOf(pointer)) {
      if (node && typeof node.$ref === "string" && !node.$ref.startsWith("#")) {
        const [target, fragment = ""] = node.$ref.split("#");
        file = resolve(dirname(file), decodeURIComponent(target));
        here = tokensOf(decodeURIComponent(fragment));
        try {
          node = here.reduce((value: any, t) => value?.[t], this.parse(file).value);
        } catch {
          break;
        }
      }
      if (node === null || typeof node !== "object" || !(token in node)) break;
      node = node[token];
      here = [...here, token];
    }
    return { file: this.display(file), pointer: pointerOf(...here), ...this.#position(file, here) };
  }

  /** Location of a pointer inside a given file (for errors the $ref resolver reports). */
  locateIn(file: string, tokens: string[]): Location {
    return { file: this.display(file), pointer: pointerOf(...tokens), ...this.#position(file, tokens) };
  }
}
