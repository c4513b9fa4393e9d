/**
 * @module
 * The gateway's access line (one JSON object a request, `"message":"request"`)
 * as a person reads it: time, status, method, path, operation, how long, who,
 * how much. `npm run dev` and `portico tail` print it so; any other line is
 * left as it is.
 */
import { stripVTControlCharacters } from "node:util";
import { ansi, type Colour, type Paint } from "./style.ts";

const STATUS_COLOUR: Record<number, Colour> = { 2: "green", 3: "cyan", 4: "yellow", 5: "red" };

/** An object the gateway logged for a request: message "request" and a numeric status. */
export function isAccessLine(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const fields = value as Record<string, unknown>;
  return fields.message === "request" && typeof fields.status === "number";
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * A logged value shown on a terminal: its control characters written out as
 * \uXXXX (as wrangler tail does), so text that came from a request can neither
 * move the cursor nor break the line.
 */
export function escapeControls(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const milliseconds = (ms: number) => (ms > 0 && ms < 1 ? "<1 ms" : `${Math.round(ms)} ms`);
const text = (value: unknown) => (typeof value === "string" && value !== "" ? escapeControls(value) : undefined);
const number = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

/** HH:MM:SS of the line's own ISO time, in UTC as it is written; "" without one. */
function clock(time: unknown): string {
  return typeof time === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(time) ? time.slice(11, 19) : "";
}

function size(fields: Record<string, unknown>): string | undefined {
  const bytesIn = number(fields.bytesIn);
  const bytesOut = number(fields.bytesOut);
  if (bytesIn !== undefined && bytesIn > 0) return `in ${formatBytes(bytesIn)}, out ${formatBytes(bytesOut ?? 0)}`;
  return bytesOut === undefined ? undefined : formatBytes(bytesOut);
}

/**
 * `14:00:00 200 GET /exhibits/42 → getExhibit 12 ms (upstream 8 ms) acme/free 512 B`,
 * then `rate-limited`, `cache hit` (or `cache stale`) and, on an error, the problem type.
 */
export function formatAccessLine(fields: Record<string, unknown>, options: { colour: boolean }): string {
  const paint: Paint = options.colour ? ansi : (_, plain) => plain;
  const status = number(fields.status) ?? 0;
  const statusColour = STATUS_COLOUR[Math.floor(status / 100)];
  const duration = number(fields.durationMs);
  const upstream = number(fields.upstreamMs);
  const consumer = text(fields.consumer);
  const tier = text(fields.tier);
  const problem = status >= 400 ? text(fields.problem) : undefined;
  const time = clock(fields.time);
  const parts = [
    time && paint("dim", time),
    statusColour ? paint(statusColour, String(status)) : String(status),
    text(fields.method) ?? "?",
    text(fields.path) ?? text(fields.route) ?? "(no route)",
    text(fields.operationId) && `→ ${text(fields.operationId)}`,
    duration !== undefined && milliseconds(duration),
    upstream !== undefined && `(upstream ${milliseconds(upstream)})`,
    consumer && (tier ? `${consumer}/${tier}` : consumer),
    size(fields),
    fields.rateLimit === "refused" && paint("yellow", "rate-limited"),
    (fields.cache === "hit" || fields.cache === "stale") && paint("cyan", `cache ${fields.cache}`),
    problem && paint(statusColour ?? "red", problem),
  ];
  return parts.filter((part): part is string => typeof part === "string" && part !== "").join(" ");
}

/** The object a log line holds, when it is one JSON object (colours around it aside). */
export function parseLogLine(line: string): unknown {
  const bare = stripVTControlCharacters(line).trim();
  if (!bare.startsWith("{") || !bare.endsWith("}")) return undefined;
  try {
    return JSON.parse(bare);
  } catch {
    return undefined;
  }
}

/** The readable form of an access line; any other line unchanged. */
export function prettyLogLine(line: string, colour: boolean): string {
  const parsed = parseLogLine(line);
  return isAccessLine(parsed) ? formatAccessLine(parsed, { colour }) : line;
}

/**
 * prettyLogLine over output that arrives in chunks, which may end mid-line.
 * Only the unfinished end of a line that starts like JSON is held back, until
 * its newline comes: everything else (a prompt, say) is written at once.
 */
export function prettyLogStream(colour: boolean): (chunk: string) => string {
  let held = "";
  return (chunk) => {
    const lines = (held + chunk).split("\n");
    const last = lines.pop()!;
    held = stripVTControlCharacters(last).trimStart().startsWith("{") ? last : "";
    const done = lines.map((line) => prettyLogLine(line, colour));
    return [...done, ...(held ? [] : [last])].join("\n") + (held && lines.length > 0 ? "\n" : "");
  };
}
