/**
 * @module
 * `portico keys`: create, list, revoke and rotate consumers' API keys in the
 * KV namespace bound as CONSUMERS, through wrangler's KV commands: the local
 * state `npm run dev` reads by default, the deployed namespace with --remote.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify, stripVTControlCharacters } from "node:util";
import {
  type ConsumerListing,
  type ConsumerRecord,
  CONSUMER_KEY_PREFIX,
  apiKeyHash,
  apiKeyPreview,
  consumerListing,
  consumerStorageKey,
  generateApiKey,
  isConsumerRecordActive,
  isWellFormedApiKey,
  parseConsumerRecord,
} from "../policies/authenticate/key-format.ts";

export const KEYS_HELP = `portico keys — the API keys of consumers

Usage:
  portico keys create --consumer <id> [--name <name>] [--tier <tier>] [--scopes a,b]
                      [--metadata '<json object>'] [--expires <date | 90d>]
  portico keys list   [--consumer <id>]
  portico keys revoke <key> | --consumer <id> | --preview <ptk_xxxx>
  portico keys rotate --consumer <id> [--grace <duration>] [--expires <date | 90d>]

A key is shown once, by create or rotate. The KV namespace bound as CONSUMERS
holds only its SHA-256, with the consumer's name, tier, scopes and metadata.
rotate issues a new key with the same record and lets the old one work for
--grace more (default 24h; 0 revokes it at once). revoke deletes the record.
Durations: 30s, 15m, 24h, 90d, 2w.

Options:
  --root <dir>        The project folder with wrangler.toml (default: the current folder)
  --local             The local state \`npm run dev\` reads, in .wrangler/state (default)
  --remote            The deployed namespace on Cloudflare
  --persist-to <dir>  The local state's folder, as given to \`wrangler dev --persist-to\`
  --json              Print the result as JSON`;

const NAMESPACE_STANZA = `
    [[kv_namespaces]]
    binding = "CONSUMERS"
    # no id: \`wrangler deploy\` creates the namespace (or give the id of an existing one)`;

const OPTIONS_OF: Record<string, string[]> = {
  create: ["consumer", "name", "tier", "scopes", "metadata", "expires"],
  list: ["consumer"],
  revoke: ["consumer", "preview"],
  rotate: ["consumer", "grace", "expires"],
};
const COMMON_OPTIONS = ["root", "local", "remote", "persist-to", "json", "help"];
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/;
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const DURATION = /^(\d+)(s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 };
// Cloudflare refuses KV metadata above 1024 bytes.
const MAX_METADATA_BYTES = 1024;

class KeysError extends Error {
  where: string;
  fix: string;
  constructor(message: string, where: string, fix: string) {
    super(message);
    this.where = where;
    this.fix = fix;
  }
}

interface Store {
  root: string;
  remote: boolean;
  persistTo?: string;
  config: string;
}

interface StoredKey {
  storageKey: string;
  listing?: ConsumerListing;
}

const describeStore = (store: Store) =>
  store.remote ? "the CONSUMERS namespace on Cloudflare" : `the local CONSUMERS namespace in ${store.persistTo ?? join(store.root, ".wrangler/state")}`;

function wranglerScript(root: string): string {
  try {
    const manifest = createRequire(import.meta.url).resolve("wrangler/package.json", { paths: [root, dirname(fileURLToPath(import.meta.url))] });
    return join(dirname(manifest), "bin", "wrangler.js");
  } catch {
    throw new KeysError("wrangler is not installed.", root, "run `npm install` in the project folder.");
  }
}

async function wrangler(store: Store, args: string[]): Promise<string> {
  const location = store.remote ? ["--remote"] : ["--local", ...(store.persistTo ? ["--persist-to", store.persistTo] : [])];
  // The Node running portico, not the first `node` on PATH: wrangler needs Node 22 or later.
  const argv = [wranglerScript(store.root), "kv", ...args, "--binding", "CONSUMERS", ...location];
  // The banner would look for a wrangler update on npm: none of that offline.
  const env = { ...process.env, WRANGLER_HIDE_BANNER: "true", WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? "false", NO_COLOR: "1" };
  try {
    const { stdout } = await promisify(execFile)(process.execPath, argv, { cwd: store.root, env, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    const lines = stripVTControlCharacters(`${stderr}\n${stdout}`).split("\n").map((line) => line.trim());
    const reason = lines.find((line) => line.startsWith("✘ [ERROR]"))?.slice(9).trim() ?? lines.filter(Boolean).at(-1) ?? (error as Error).message;
    const fix = /KV namespace/.test(reason)
      ? `declare the namespace in ${store.config}:${NAMESPACE_STANZA}`
      : store.remote
        ? "check `npx wrangler whoami` and the namespace id in the wrangler config."
        : `run \`npx wrangler kv ${args.join(" ")} --binding CONSUMERS --local\` in ${store.root} to see wrangler's whole output.`;
    throw new KeysError(`wrangler kv ${args[0]} ${args[1]} failed: ${reason}`, store.config, fix);
  }
}

function parseListing(name: string, metadata: unknown): StoredKey {
  const record = typeof metadata === "object" && metadata !== null ? parseConsumerRecord({ ...metadata, metadata: {} }) : undefined;
  return { storageKey: name, listing: record && consumerListing(record) };
}

async function listKeys(store: Store): Promise<StoredKey[]> {
  const out = await wrangler(store, ["key", "list", "--prefix", CONSUMER_KEY_PREFIX]);
  let entries: { name: string; metadata?: unknown }[];
  try {
    entries = JSON.parse(out);
  } catch {
    throw new KeysError(`wrangler kv key list printed no JSON: ${out.trim().split("\n").at(-1)}`, store.config, "update wrangler: npm install -D wrangler@4");
  }
  return entries
    .map(({ name, metadata }) => parseListing(name, metadata))
    .sort((a, b) => (a.listing?.id ?? "").localeCompare(b.listing?.id ?? "") || (a.listing?.createdAt ?? "").localeCompare(b.listing?.createdAt ?? ""));
}

async function readRecord(store: Store, storageKey: string): Promise<ConsumerRecord | undefined> {
  return parseConsumerRecord(await wrangler(store, ["key", "get", storageKey, "--text"]));
}

/** Runs a bulk command with its list in a temporary file, removed afterwards. */
async function bulk(store: Store, command: "put" | "delete", items: unknown[]): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), "portico-keys-"));
  try {
    const file = join(folder, `${command}.json`);
    writeFileSync(file, JSON.stringify(items));
    await wrangler(store, ["bulk", command, file, ...(command === "delete" ? ["--force"] : [])]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function writeRecords(store: Store, records: { storageKey: string; record: ConsumerRecord }[]) {
  await bulk(store, "put", records.map(({ storageKey, record }) => ({ key: storageKey, value: JSON.stringify(record), metadata: consumerListing(record) })));
}

function parseDuration(value: string, option: string): number {
  const match = DURATION.exec(value);
  if (value !== "0" && !match) throw new KeysError(`--${option} "${value}" is not a duration.`, `--${option}`, "use a number and a unit: 30s, 15m, 24h, 90d or 2w.");
  return match ? Number(match[1]) * UNIT_MS[match[2]] : 0;
}

function parseExpiry(value: string | undefined, now: number): string | null {
  if (value === undefined) return null;
  const at = DURATION.test(value) ? now + parseDuration(value, "expires") : Date.parse(value);
  if (Number.isNaN(at)) throw new KeysError(`--expires "${value}" is neither a date nor a duration.`, "--expires", "use an ISO date such as 2027-01-31 or a duration such as 90d.");
  if (at <= now) throw new KeysError(`--expires "${value}" is in the past.`, "--expires", "give a later date, or a duration such as 90d.");
  return new Date(at).toISOString();
}

function requireIdentifier(value: string | undefined, option: string, command: string): string {
  if (value === undefined) throw new KeysError(`keys ${command} needs --${option}.`, `portico keys ${command}`, `add --${option} <id>, e.g. --${option} acme.`);
  if (!IDENTIFIER.test(value)) {
    throw new KeysError(`--${option} "${value}" is not a valid id.`, `--${option}`, "use 1 to 128 letters, digits and . _ : @ + -, starting with a letter or digit.");
  }
  return value;
}

function parseScopes(value: string | undefined): string[] {
  const scopes = [...new Set((value ?? "").split(",").map((scope) => scope.trim()).filter(Boolean))];
  const bad = scopes.find((scope) => !SCOPE.test(scope));
  if (bad !== undefined) throw new KeysError(`The scope "${bad}" has a character scopes cannot hold.`, "--scopes", 'separate scopes with commas; a scope has no space, " or \\.');
  return scopes;
}

function parseMetadata(value: string | undefined): Record<string, unknown> {
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

const shortTime = (iso: string | null | undefined) => (iso ? iso.replace(/\.\d{3}Z$/, "Z") : "never");
const statusOf = (listing: ConsumerListing) => (listing.disabled ? "disabled" : isConsumerRecordActive(listing) ? "active" : "expired");

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd()).join("\n");
}

function showOnce(heading: string, key: string, record: ConsumerRecord, after: string) {
  const expiry = record.expiresAt ? `It expires at ${shortTime(record.expiresAt)}.` : "It does not expire.";
  console.log(`${heading}\n\n  ${key}\n\nCopy it now: it is not shown again, and only its SHA-256 is stored. ${expiry}${after}`);
}

async function create(store: Store, values: Values, json: boolean) {
  const id = requireIdentifier(values.consumer, "consumer", "create");
  const tier = values.tier === undefined ? undefined : requireIdentifier(values.tier, "tier", "create");
  const now = Date.now();
  const key = generateApiKey();
  const record: ConsumerRecord = {
    id,
    name: values.name ?? id,
    ...(tier === undefined ? {} : { tier }),
    scopes: parseScopes(values.scopes),
    metadata: parseMetadata(values.metadata),
    expiresAt: parseExpiry(values.expires, now),
    disabled: false,
    keyPreview: apiKeyPreview(key),
    createdAt: new Date(now).toISOString(),
  };
  if (new TextEncoder().encode(JSON.stringify(consumerListing(record))).length > MAX_METADATA_BYTES) {
    throw new KeysError(`The key's listing (id, name, tier, scopes) is over ${MAX_METADATA_BYTES} bytes.`, "--name, --scopes", "shorten the name or use fewer scopes.");
  }
  await writeRecords(store, [{ storageKey: consumerStorageKey(await apiKeyHash(key)), record }]);
  if (json) console.log(JSON.stringify({ key, ...record }, null, 2));
  else showOnce(`Created an API key for consumer "${id}" in ${describeStore(store)}:`, key, record, "");
}

async function list(store: Store, values: Values, json: boolean) {
  const listed = (await listKeys(store)).filter((stored) => values.consumer === undefined || stored.listing?.id === values.consumer);
  if (json) {
    console.log(JSON.stringify(listed.map(({ listing }) => (listing ? { ...listing, status: statusOf(listing) } : { status: "unreadable" })), null, 2));
  } else if (listed.length === 0) {
    console.log(`No API keys${values.consumer ? ` for consumer "${values.consumer}"` : ""} in ${describeStore(store)}.`);
  } else {
    const header = ["KEY", "CONSUMER", "NAME", "TIER", "SCOPES", "EXPIRES", "STATUS"];
    const rows = listed.map(({ listing: l }) =>
      l ? [`${l.keyPreview}…`, l.id, l.name.length > 30 ? `${l.name.slice(0, 29)}…` : l.name, l.tier ?? "-", l.scopes.join(",") || "-", shortTime(l.expiresAt), statusOf(l)] : ["?", "?", "(no listing)", "-", "-", "-", "unreadable"],
    );
    console.log(table([header, ...rows]));
  }
}

async function revoke(store: Store, values: Values, key: string | undefined, json: boolean) {
  if (key !== undefined && !isWellFormedApiKey(key)) {
    throw new KeysError("That is not a Portico API key.", "portico keys revoke", "check the key for a typo: it is ptk_ and 36 letters and digits.");
  }
  const filtered = values.consumer !== undefined || values.preview !== undefined;
  if ((key === undefined) === !filtered) {
    const what = key === undefined ? "keys revoke needs the key, --consumer <id> or --preview <ptk_xxxx>." : "Give the key or --consumer/--preview, not both.";
    throw new KeysError(what, "portico keys revoke", "run `portico keys list` to see the keys.");
  }
  const storageKey = key === undefined ? undefined : consumerStorageKey(await apiKeyHash(key));
  const targets = (await listKeys(store)).filter(({ storageKey: name, listing }) =>
    storageKey !== undefined
      ? name === storageKey
      : (values.consumer === undefined || listing?.id === values.consumer) && (values.preview === undefined || listing?.keyPreview === values.preview),
  );
  if (targets.length === 0) throw new KeysError("No API key matches.", describeStore(store), "run `portico keys list` to see the keys.");
  if (values.preview !== undefined && targets.length > 1) {
    throw new KeysError(`${targets.length} keys have the preview ${values.preview}.`, describeStore(store), "revoke with the key itself, or add --consumer <id>.");
  }
  await bulk(store, "delete", targets.map((target) => target.storageKey));
  const revoked = targets.map(({ listing }) => ({ keyPreview: listing?.keyPreview ?? "?", consumer: listing?.id ?? "?" }));
  if (json) console.log(JSON.stringify({ revoked }, null, 2));
  else console.log(`Revoked ${revoked.length} key(s) in ${describeStore(store)}: ${revoked.map((r) => `${r.keyPreview}… (${r.consumer})`).join(", ")}.`);
}

async function rotate(store: Store, values: Values, json: boolean) {
  const id = requireIdentifier(values.consumer, "consumer", "rotate");
  const now = Date.now();
  const grace = parseDuration(values.grace ?? "24h", "grace");
  const expiresAt = parseExpiry(values.expires, now);
  const current = (await listKeys(store)).filter(({ listing }) => listing?.id === id && isConsumerRecordActive(listing, now));
  if (current.length === 0) throw new KeysError(`Consumer "${id}" has no working key to rotate.`, describeStore(store), `create one: portico keys create --consumer ${id}`);
  const old: { storageKey: string; record: ConsumerRecord }[] = [];
  for (const { storageKey } of current) {
    const record = await readRecord(store, storageKey);
    if (record) old.push({ storageKey, record });
  }
  const template = old.map((o) => o.record).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (!template) throw new KeysError(`The records of consumer "${id}" cannot be read.`, describeStore(store), `revoke them and create a new key: portico keys revoke --consumer ${id}`);
  const key = generateApiKey();
  const fresh = { ...template, keyPreview: apiKeyPreview(key), createdAt: new Date(now).toISOString(), expiresAt, disabled: false };
  const until = new Date(now + grace).toISOString();
  const ending = old.map(({ storageKey, record }) => ({
    storageKey,
    record: { ...record, expiresAt: record.expiresAt && record.expiresAt < until ? record.expiresAt : until },
  }));
  await writeRecords(store, [{ storageKey: consumerStorageKey(await apiKeyHash(key)), record: fresh }, ...(grace > 0 ? ending : [])]);
  if (grace === 0) await bulk(store, "delete", current.map((stored) => stored.storageKey));
  const previous = ending.map(({ record }) => ({ keyPreview: record.keyPreview, expiresAt: grace > 0 ? record.expiresAt : null, revoked: grace === 0 }));
  if (json) {
    console.log(JSON.stringify({ key, ...fresh, previous }, null, 2));
  } else {
    const after = previous.map((p) => (p.revoked ? `\nThe old key ${p.keyPreview}… is revoked.` : `\nThe old key ${p.keyPreview}… works until ${shortTime(p.expiresAt)}.`)).join("");
    showOnce(`Rotated the API key of consumer "${id}" in ${describeStore(store)}:`, key, fresh, after);
  }
}

type Values = Partial<Record<"root" | "consumer" | "name" | "tier" | "scopes" | "metadata" | "expires" | "grace" | "preview" | "persist-to", string>> &
  Partial<Record<"local" | "remote" | "json" | "help", boolean>>;

function parse(argv: string[]) {
  const text = { type: "string" } as const;
  const flag = { type: "boolean" } as const;
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      root: text, consumer: text, name: text, tier: text, scopes: text, metadata: text, expires: text, grace: text, preview: text,
      "persist-to": text, local: flag, remote: flag, json: flag, help: { ...flag, short: "h" },
    },
  });
}

/** `portico keys <command> ...`; returns the exit code. */
export async function keys(argv: string[]): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parse(argv);
    } catch (error) {
      throw new KeysError((error as Error).message, "portico keys", "run `portico keys --help` for the options.");
    }
    const values: Values = parsed.values;
    const [command = "", key, ...extra] = parsed.positionals;
    if (values.help || command === "") {
      console.log(KEYS_HELP);
      return 0;
    }
    const allowed = OPTIONS_OF[command];
    if (!allowed) throw new KeysError(`Unknown command "keys ${command}".`, "portico keys", "use create, list, revoke or rotate; `portico keys --help` explains them.");
    const misplaced = Object.keys(values).find((option) => !allowed.includes(option) && !COMMON_OPTIONS.includes(option));
    if (misplaced) throw new KeysError(`--${misplaced} does not apply to keys ${command}.`, `portico keys ${command}`, "run `portico keys --help` for each command's options.");
    const stray = command === "revoke" ? extra[0] : key;
    if (stray !== undefined) throw new KeysError(`Unexpected argument "${stray}".`, `portico keys ${command}`, "options start with --; run `portico keys --help`.");
    if (values.local && values.remote) throw new KeysError("--local and --remote exclude each other.", `portico keys ${command}`, "give one of them (--local is the default).");
    const root = resolve(values.root ?? process.cwd());
    const config = ["wrangler.toml", "wrangler.jsonc", "wrangler.json"].map((name) => join(root, name)).find(existsSync);
    if (!config) throw new KeysError("No wrangler config in the project folder.", root, "run portico in the project folder, or pass --root <dir>.");
    if (values.remote && values["persist-to"] !== undefined) {
      throw new KeysError("--persist-to is for the local state, not --remote.", `portico keys ${command}`, "drop one of them.");
    }
    const persistTo = values["persist-to"] === undefined ? undefined : resolve(values["persist-to"]);
    const store: Store = { root, remote: values.remote ?? false, persistTo, config };
    const json = values.json ?? false;
    if (command === "create") await create(store, values, json);
    else if (command === "list") await list(store, values, json);
    else if (command === "revoke") await revoke(store, values, key, json);
    else await rotate(store, values, json);
    return 0;
  } catch (error) {
    if (!(error instanceof KeysError)) throw error;
    console.error(`✘ ERROR: ${error.message}\n  at ${error.where}\n  fix: ${error.fix}`);
    return 1;
  }
}
