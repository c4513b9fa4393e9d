/**
 * @module
 * The command line of `portico tail`: its own options (--consumer, --status,
 * --json) taken out, every other argument passed on to `wrangler tail` as it
 * was given, and `--format json` added, which is what portico reads.
 */
import type { Problem } from "./style.ts";

/** wrangler tail's own --status values (the Worker's outcome), passed on rather than read as HTTP statuses. */
const OUTCOMES = new Set(["ok", "error", "canceled"]);
const STATUS = /^(?:[1-5]\d\d|[1-5]xx)$/i;

export interface TailArgs {
  /** The arguments after `wrangler`. */
  wrangler: string[];
  consumer?: string;
  /** Whether an access line's status is asked for; absent: every status. */
  status?: (status: number) => boolean;
  json: boolean;
  help: boolean;
}

const problem = (message: string, hint: string): { problem: Problem } => ({ problem: { message, where: "portico tail", hint } });

/** `429`, `5xx` or a comma-separated list of them. */
export function statusMatcher(value: string): ((status: number) => boolean) | undefined {
  const wanted = value.split(",").map((part) => part.trim());
  if (wanted.some((part) => !STATUS.test(part))) return undefined;
  return (status) => wanted.some((part) => (/x/i.test(part) ? Math.floor(status / 100) === Number(part[0]) : status === Number(part)));
}

export function readTailArgs(argv: string[]): TailArgs | { problem: Problem } {
  const read: TailArgs = { wrangler: [], json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (arg === "--") {
      read.wrangler.push(...argv.slice(i + 1));
      break;
    } else if (arg === "--help" || arg === "-h") read.help = true;
    else if (arg === "--json") read.json = true;
    else if (name === "--format") return problem("portico tail sets wrangler's --format itself.", "drop --format; --json prints the access lines as JSON.");
    else if (name === "--consumer") {
      const consumer = value();
      if (!consumer || consumer.startsWith("--")) return problem("--consumer needs a consumer id.", "e.g. --consumer acme.");
      read.consumer = consumer;
    } else if (name === "--status") {
      const status = value();
      if (status !== undefined && OUTCOMES.has(status)) read.wrangler.push("--status", status);
      else {
        const matcher = status === undefined ? undefined : statusMatcher(status);
        if (!matcher) return problem(`--status "${status ?? ""}" is not an HTTP status.`, "give a status or a class, such as 429 or 5xx (or a list: 4xx,5xx).");
        read.status = matcher;
      }
    } else read.wrangler.push(arg);
  }
  read.wrangler = ["tail", ...read.wrangler, "--format", "json"];
  return read;
}
