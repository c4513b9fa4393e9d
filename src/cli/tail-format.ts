/**
 * @module
 * What `portico tail` prints of the events `wrangler tail --format json`
 * writes: each event's access lines (its logs' first console.log argument,
 * when that is the gateway's JSON line), filtered by consumer and status,
 * with the event's exceptions and error-level lines indented under them.
 * A pure function of wrangler's text, so it is tested on recorded output.
 */
import { escapeControls, formatAccessLine, isAccessLine, parseLogLine } from "./access-line.ts";
import { jsonObjectReader, type Piece } from "./json-objects.ts";
import { ansi, type Paint } from "./style.ts";

export interface TailOptions {
  consumer?: string;
  status?: (status: number) => boolean;
  /** The access lines as JSON, one a line, and nothing else. */
  json: boolean;
  colour: boolean;
}

/** The parts of a wrangler tail event read here (packages/wrangler/src/tail/createTail.ts, TailEventMessage). */
interface TailEvent {
  outcome?: string;
  eventTimestamp?: number;
  entrypoint?: string;
  event?: { request?: { url?: string; method?: string }; response?: { status?: number }; rpcMethod?: unknown } | null;
  logs?: { message?: unknown[]; level?: string }[];
  exceptions?: { name?: string; message?: unknown; stack?: string }[];
}

const INDENT = "    ";
const asText = (value: unknown) => escapeControls(typeof value === "string" ? value : (JSON.stringify(value) ?? String(value)));

/** An error-level log line: the gateway's JSON error as its message and error, anything else as logged. */
function errorLine(message: unknown[], paint: Paint): string {
  const logged = typeof message[0] === "string" ? parseLogLine(message[0]) : undefined;
  const fields = typeof logged === "object" && logged !== null ? (logged as Record<string, unknown>) : undefined;
  const text =
    fields && typeof fields.message === "string"
      ? [fields.message, fields.errorMessage ?? fields.error].filter((part) => typeof part === "string").join(": ")
      : message.map(asText).join(" ");
  return `${INDENT}${paint("red", "error")} ${escapeControls(text)}`;
}

function exceptionLines(exception: NonNullable<TailEvent["exceptions"]>[number], paint: Paint): string[] {
  const head = `${INDENT}${paint("red", "✘")} ${asText(exception.name ?? "Error")}: ${asText(exception.message ?? "")}`;
  const frames = typeof exception.stack === "string" ? exception.stack.split("\n").filter((line) => line.trim() !== "") : [];
  return [head, ...frames.map((frame) => `${INDENT}  ${paint("dim", escapeControls(frame.trim()))}`)];
}

/** What the event was: the request's method and path, or the Durable Object method called, as wrangler names them. */
function eventName(event: TailEvent): string {
  const { request, rpcMethod } = event.event ?? {};
  if (request) {
    try {
      return `${asText(request.method ?? "?")} ${escapeControls(new URL(request.url ?? "").pathname)}`;
    } catch {
      return asText(request.method ?? "?");
    }
  }
  return typeof rpcMethod === "string" ? `${asText(event.entrypoint ?? "")}.${asText(rpcMethod)}` : "event";
}

/** An event that failed before the gateway logged it: when, its status or outcome, and what it was. */
function eventHeader(event: TailEvent, paint: Paint): string {
  const at = new Date(typeof event.eventTimestamp === "number" ? event.eventTimestamp : Number.NaN);
  const when = Number.isNaN(at.getTime()) ? "" : at.toISOString().slice(11, 19);
  const status = event.event?.response?.status ?? event.outcome ?? "?";
  return [when && paint("dim", when), paint("red", asText(status)), eventName(event), "(no access line)"].filter(Boolean).join(" ");
}

/** The lines one event prints under the options. */
export function formatTailEvent(value: unknown, options: TailOptions): string[] {
  if (typeof value !== "object" || value === null) return [];
  const event = value as TailEvent;
  const paint: Paint = options.colour ? ansi : (_, plain) => plain;
  const logs = Array.isArray(event.logs) ? event.logs : [];
  const accessLines = logs
    .map((log) => (Array.isArray(log.message) && typeof log.message[0] === "string" ? parseLogLine(log.message[0]) : undefined))
    .filter(isAccessLine);
  const wanted = (status: number, consumer: unknown) =>
    (options.consumer === undefined || consumer === options.consumer) && (options.status === undefined || options.status(status));
  const shown = accessLines.filter((fields) => wanted(fields.status as number, fields.consumer));
  if (options.json) return shown.map((fields) => JSON.stringify(fields));
  const under = [
    ...(Array.isArray(event.exceptions) ? event.exceptions : []).flatMap((exception) => exceptionLines(exception, paint)),
    ...logs.filter((log) => log.level === "error" && Array.isArray(log.message)).map((log) => errorLine(log.message!, paint)),
  ];
  if (shown.length > 0) return [...shown.map((fields) => formatAccessLine(fields, { colour: options.colour })), ...under];
  // A request that failed before its access line was written has only its exception to show.
  const status = event.event?.response?.status ?? 500;
  return accessLines.length === 0 && under.length > 0 && wanted(status, undefined) ? [eventHeader(event, paint), ...under] : [];
}

function linesOf(pieces: Piece[], options: TailOptions): string[] {
  return pieces.flatMap((piece) => ("object" in piece ? formatTailEvent(piece.object, options) : options.json ? [] : [escapeControls(piece.text)]));
}

/** Reads wrangler's output as it arrives and gives back what to print, whole lines only. */
export function tailPrinter(options: TailOptions): { push(chunk: string): string; end(): string } {
  const reader = jsonObjectReader();
  const print = (lines: string[]) => lines.map((line) => `${line}\n`).join("");
  return { push: (chunk) => print(linesOf(reader.push(chunk), options)), end: () => print(linesOf(reader.end(), options)) };
}

/** What portico tail prints for the whole of a recorded wrangler output. */
export function formatTail(text: string, options: TailOptions): string {
  const printer = tailPrinter(options);
  return printer.push(text) + printer.end();
}
