/**
 * @module
 * How `portico` prints: every problem in one shape (what, where, how to fix),
 * colours only on a terminal, one updating progress line for long work, and
 * JSON instead of text for CI.
 */

/** The part of a stream the style needs: whether it is a terminal, how wide, and writing. */
export interface Output {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const CODES = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, cyan: 36 } as const;
export type Colour = keyof typeof CODES;
export type Paint = (colour: Colour, text: string) => string;

/**
 * NO_COLOR (any value but "") always wins, as no-color.org asks; FORCE_COLOR
 * turns colours on for a pipe, or off with "0" or "false"; otherwise colours
 * go to a terminal only, and not to a dumb one.
 */
export function usesColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return Boolean(stream.isTTY) && env.TERM !== "dumb";
}

/** Colours whatever the stream: for text whose caller has already decided (`usesColour`). */
export const ansi: Paint = (colour, text) => `\x1b[${CODES[colour]}m${text}\x1b[0m`;

export function painter(stream: { isTTY?: boolean }): Paint {
  return usesColour(stream) ? ansi : (_, text) => text;
}

export const paintOut = painter(process.stdout);
export const paintErr = painter(process.stderr);

/** Columns padded to their widest cell, the header row in bold on a terminal. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join("  ")
      .trimEnd(),
  );
  return [paintOut("bold", lines[0]), ...lines.slice(1)].join("\n");
}

/** Something the user can put right. The same three parts as a build error (BuildError.format). */
export interface Problem {
  severity?: "error" | "warning";
  message: string;
  where: string;
  hint: string;
  /** The source lines at `where`, a caret under the column (a build error's code frame). */
  frame?: string;
}

export function formatProblem(problem: Problem, paint: Paint = paintErr): string {
  const warning = problem.severity === "warning";
  const head = paint(warning ? "yellow" : "red", `✘ ${warning ? "WARNING" : "ERROR"}: ${problem.message}`);
  // The caret's line is the one whose gutter has no line number.
  const frame = problem.frame ? `\n${problem.frame.replace(/^(?=.)/gm, "  ").replace(/^(\s+\|\s*)\^$/m, (_, lead) => lead + paint("red", "^"))}` : "";
  return `${head}\n  ${paint("dim", "at")} ${problem.where}${frame}\n  ${paint("cyan", "fix:")} ${problem.hint}`;
}

/** The JSON `--json` prints when a command fails: the shape of `portico build --json`'s. */
export function problemsJson(problems: Problem[]): string {
  const shape = (p: Problem) => ({ severity: p.severity ?? "error", message: p.message, where: p.where, hint: p.hint, ...(p.frame ? { frame: p.frame } : {}) });
  return JSON.stringify({ ok: false, errors: problems.map(shape) }, null, 2);
}

/** A failed command's problem: as JSON on stdout with --json (what CI parses), else as text on stderr. */
export function printProblem(problem: Problem, json: boolean): void {
  if (json) console.log(problemsJson([problem]));
  else console.error(formatProblem(problem));
}

/**
 * One line on a terminal, redrawn in place, that appears only once the work
 * has taken `afterMs`: a quick build prints nothing extra, and a pipe or a
 * log file never gets carriage returns.
 */
export function progressLine(stream: Output, afterMs = 1000) {
  const started = Date.now();
  let text = "";
  let drawnAt = 0;
  const draw = () => {
    drawnAt = Date.now();
    const width = Math.max((stream.columns || 80) - 1, 10);
    stream.write(`\r${text.length > width ? `${text.slice(0, width - 1)}…` : text}\x1b[K`);
  };
  // The build is mostly synchronous: this fires only while it waits (a user module loading, say).
  const timer = stream.isTTY ? setTimeout(() => text && draw(), afterMs) : undefined;
  timer?.unref();
  return {
    update(next: string) {
      text = next;
      const now = Date.now();
      if (stream.isTTY && now - started >= afterMs && now - drawnAt >= 100) draw();
    },
    /** Wipes the line, so what is printed next starts on a clean one. */
    end() {
      clearTimeout(timer);
      if (drawnAt > 0) stream.write("\r\x1b[K");
    },
  };
}
