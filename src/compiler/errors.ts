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

  constructor(location: Location, message: string, hint: string, severity: "error" | "warning" = "error") {
    super(message);
    this.location = location;
    this.hint = hint;
    this.severity = severity;
  }

  /** "file:line:col#pointer": what editors and CI annotations understand. */
  get where(): string {
    const { file, pointer, line, column } = this.location;
    const position = line ? `:${line}${column ? `:${column}` : ""}` : "";
    return `${file}${position} at ${pointer === "" ? "(document root)" : pointer}`;
  }

  /** The three-part text the CLI prints. */
  format(): string {
    const label = this.severity === "error" ? "ERROR" : "WARNING";
    return `✘ ${label}: ${this.message}\n  at ${this.where}\n  fix: ${this.hint}`;
  }

  toJSON() {
    return { severity: this.severity, message: this.message, hint: this.hint, ...this.location, ...(this.group ? { group: this.group } : {}) };
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
