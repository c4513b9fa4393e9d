/**
 * @module
 * Build errors: what is wrong, where (file, JSON pointer, line and column),
 * and how to fix it. Every problem the compiler finds is one of these.
 */

export interface Location {
  /** Path of the file, relative to the project root where possible. */
  file: string;
  /** RFC 6901 JSON pointer inside that file ("" is the whole document). */
  pointer: string;
  line?: number;
  column?: number;
}

/** The group of a built-in's notes on the document (see Prepared.notes): the build joins each to the finding at its pointer. */
export const NOTE_GROUP = "note";

/** The group of the warnings about examples that break their schema: the CLI folds them into one line. */
export const EXAMPLE_GROUP = "examples";

export class BuildError extends Error {
  override name = "BuildError";
  readonly location: Location;
  readonly hint: string;
  readonly severity: "error" | "warning";
  /** Findings of one kind (e.g. "examples"), which the CLI may fold into one summary line. */
  group?: string;
  /** The lines around the place, a caret under the column (see code-frame.ts); set by the build for errors. */
  frame?: string;

  constructor(location: Location, message: string, hint: string, severity: "error" | "warning" = "error") {
    super(message);
    // A finding is about the document, not about where the compiler was. Its stack is replaced at once:
    // until it is read, V8 keeps every function and receiver on it alive, and with them the whole
    // build's state (170 MB for GitHub's description) for as long as the CLI holds its findings.
    this.stack = `${this.name}: ${message}`;
    this.location = location;
    this.hint = hint;
    this.severity = severity;
  }

  /** "file:line:col at pointer": what editors and CI annotations understand. A policy module's errors have no pointer. */
  get where(): string {
    const { file, pointer, line, column } = this.location;
    const position = line ? `:${line}${column ? `:${column}` : ""}` : "";
    return `${file}${position}${pointer === "" ? "" : ` at ${pointer}`}`;
  }

  /** The text the CLI prints: what, where (with the frame, when there is one), how to fix. */
  format(): string {
    const label = this.severity === "error" ? "ERROR" : "WARNING";
    const frame = this.frame ? `\n${this.frame.replace(/^/gm, "  ")}` : "";
    return `✘ ${label}: ${this.message}\n  at ${this.where}${frame}\n  fix: ${this.hint}`;
  }

  toJSON() {
    const { group, frame } = this;
    return { severity: this.severity, message: this.message, hint: this.hint, ...this.location, ...(group ? { group } : {}), ...(frame ? { frame } : {}) };
  }
}

/** Appends tokens to a JSON pointer, escaping `~` and `/` (RFC 6901). */
export function pointerOf(...tokens: Array<string | number>): string {
  return tokens.map((t) => "/" + String(t).replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

export function joinPointer(base: string, ...tokens: Array<string | number>): string {
  return base + pointerOf(...tokens);
}

/** The tokens of a JSON pointer. */
export function tokensOf(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}
