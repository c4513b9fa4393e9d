/**
 * @module
 * The arguments of `portico keys`: the command, the options each command
 * takes, and the ids, scopes, metadata, dates and durations they carry, each
 * checked before anything is read or written.
 */
import { parseArgs } from "node:util";
import { KeysError } from "./keys-error.ts";

const OPTIONS_OF: Record<string, string[]> = {
  create: ["consumer", "name", "tier", "scopes", "metadata", "expires"],
  list: ["consumer"],
  revoke: ["consumer", "preview"],
  rotate: ["consumer", "grace", "expires"],
};
const COMMON_OPTIONS = ["root", "local", "remote", "persist-to", "gateway", "json", "help"];
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/;
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const DURATION = /^(\d+)(s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 };

export type Values = Partial<
  Record<"root" | "consumer" | "name" | "tier" | "scopes" | "metadata" | "expires" | "grace" | "preview" | "persist-to" | "gateway", string>
> &
  Partial<Record<"local" | "remote" | "json" | "help", boolean>>;

function parse(argv: string[]) {
  const text = { type: "string" } as const;
  const flag = { type: "boolean" } as const;
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      root: text,
      consumer: text,
      name: text,
      tier: text,
      scopes: text,
      metadata: text,
      expires: text,
      grace: text,
      preview: text,
      "persist-to": text,
      gateway: text,
      local: flag,
      remote: flag,
      json: flag,
      help: { ...flag, short: "h" },
    },
  });
}

export type KeysCommand = "create" | "list" | "revoke" | "rotate";

/** The command with its key argument and options; "help" for --help or no command. */
export function readKeysArgs(argv: string[]): { command: KeysCommand | "help"; key: string | undefined; values: Values } {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new KeysError((error as Error).message, "portico keys", "run `portico keys --help` for the options.");
  }
  const values: Values = parsed.values;
  const [command = "", key, ...extra] = parsed.positionals;
  if (values.help || command === "") return { command: "help", key, values };
  const allowed = Object.hasOwn(OPTIONS_OF, command) ? OPTIONS_OF[command] : undefined;
  if (!allowed)
    throw new KeysError(`Unknown command "keys ${command}".`, "portico keys", "use create, list, revoke or rotate; `portico keys --help` explains them.");
  const misplaced = Object.keys(values).find((option) => !allowed.includes(option) && !COMMON_OPTIONS.includes(option));
  if (misplaced)
    throw new KeysError(
      `--${misplaced} does not apply to keys ${command}.`,
      `portico keys ${command}`,
      "run `portico keys --help` for each command's options.",
    );
  const stray = command === "revoke" ? extra[0] : key;
  if (stray !== undefined)
    throw new KeysError(`Unexpected argument "${stray}".`, `portico keys ${command}`, "options start with --; run `portico keys --help`.");
  return { command: command as KeysCommand, key, values };
}

export function parseDuration(value: string, option: string): number {
  const match = DURATION.exec(value);
  if (value !== "0" && !match)
    throw new KeysError(`--${option} "${value}" is not a duration.`, `--${option}`, "use a number and a unit: 30s, 15m, 24h, 90d or 2w.");
  return match ? Number(match[1]) * UNIT_MS[match[2]] : 0;
}

export function parseExpiry(value: string | undefined, now: number): string | null {
  if (value === undefined) return null;
  const at = DURATION.test(value) ? now + parseDuration(value, "expires") : Date.parse(value);
  if (Number.isNaN(at))
    throw new KeysError(`--expires "${value}" is neither a date nor a duration.`, "--expires", "use an ISO date such as 2027-01-31 or a duration such as 90d.");
  if (at <= now) throw new KeysError(`--expires "${value}" is in the past.`, "--expires", "give a later date, or a duration such as 90d.");
  return new Date(at).toISOString();
}

export function requireIdentifier(value: string | undefined, option: string, command: string): string {
  if (value === undefined) throw new KeysError(`keys ${command} needs --${option}.`, `portico keys ${command}`, `add --${option} <id>, e.g. --${option} acme.`);
  if (!IDENTIFIER.test(value)) {
    throw new KeysError(
      `--${option} "${value}" is not a valid id.`,
      `--${option}`,
      "use 1 to 128 letters, digits and . _ : @ + -, starting with a letter or digit.",
    );
  }
  return value;
}

export function parseScopes(value: string | undefined): string[] {
  const scopes = [
    ...new Set(
      (value ?? "")
        .split(",")
        .map((scope) => scope.trim())
        .filter(Boolean),
    ),
  ];
  const bad = scopes.find((scope) => !SCOPE.test(scope));
  if (bad !== undefined)
    throw new KeysError(`The scope "${bad}" has a character scopes cannot hold.`, "--scopes", 'separate scopes with commas; a scope has no space, " or \\.');
  return scopes;
}

export function parseMetadata(value: string | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new KeysError(`--metadata is not JSON: ${(error as Error).message}`, "--metadata", `quote it for the shell: --metadata '{"plan":"pro"}'.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new KeysError("--metadata must be a JSON object.", "--metadata", `give an object, such as --metadata '{"plan":"pro"}'.`);
  }
  return parsed as Record<string, unknown>;
}
