/**
 * @module
 * Structured logs: one JSON object a line, so Workers Logs and `wrangler tail`
 * can filter by field.
 */
import type { Logger } from "./types.ts";

type Level = "debug" | "info" | "warn" | "error";

const SINKS: Record<Level, (line: string) => void> = {
  debug: (line) => console.debug(line),
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
};

/** A logger whose every line carries the given fields (requestId, operationId). */
export function createLogger(base: Record<string, unknown>): Logger {
  const write = (level: Level) => (message: string, fields?: Record<string, unknown>) =>
    SINKS[level](JSON.stringify({ level, message, ...base, ...fields, time: new Date().toISOString() }));
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

/** What of a thrown value may go into a log line (never into a response). */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.name, errorMessage: error.message, stack: error.stack };
  return { error: String(error) };
}
