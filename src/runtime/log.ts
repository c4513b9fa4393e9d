/**
 * @module
 * Structured logs: one JSON object a line, so Workers Logs and `wrangler tail`
 * can filter by field.
 */
import type { Logger } from "./types.ts";

export type Level = "debug" | "info" | "warn" | "error";

const SINKS: Record<Level, (line: string) => void> = {
  debug: (line) => console.debug(line),
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
};

/**
 * A logger whose every line carries the given fields (requestId, operationId).
 * `readableStacks` (`npm run dev`): a line with a stack is followed by the stack on lines of its
 * own. In the JSON line it points into wrangler's bundle; on its own lines, wrangler dev maps
 * each frame to its source (policies/x.ts:12:7), which it does for console.error and console.log only.
 */
export function createLogger(base: Record<string, unknown>, options: { readableStacks?: boolean } = {}): Logger {
  const write = (level: Level) => (message: string, fields?: Record<string, unknown>) => {
    SINKS[level](JSON.stringify({ level, message, ...base, ...fields, time: new Date().toISOString() }));
    if (!options.readableStacks || typeof fields?.stack !== "string") return;
    const about = Object.entries(base).map(([name, value]) => `${name} ${String(value)}`);
    (level === "error" ? console.error : console.log)(`${message} (${about.join(", ")})\n${fields.stack}`);
  };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

/**
 * Writes a line already in a logger's shape (`level`, `message`, its fields, then `time`): for the
 * gateway's line per request, made as one object rather than merged from a logger's parts.
 */
export function writeLine(line: { level: Level; message: string; time: string }): void {
  SINKS[line.level](JSON.stringify(line));
}

/** What of a thrown value may go into a log line (never into a response). */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.name, errorMessage: error.message, stack: error.stack };
  return { error: String(error) };
}
