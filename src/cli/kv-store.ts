/**
 * @module
 * The KV namespace bound as CONSUMERS, read and written through wrangler's KV
 * commands: the local state `npm run dev` reads by default (or the folder
 * given with --persist-to), the deployed namespace with --remote.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify, stripVTControlCharacters } from "node:util";
import { type ConsumerListing, type ConsumerRecord, CONSUMER_KEY_PREFIX, consumerListing, parseConsumerRecord } from "../policies/authenticate/key-format.ts";
import type { Values } from "./keys-args.ts";
import { KeysError } from "./keys-error.ts";

const NAMESPACE_STANZA = `
    [[kv_namespaces]]
    binding = "CONSUMERS"
    # no id: \`wrangler deploy\` creates the namespace (or give the id of an existing one)`;

export interface Store {
  root: string;
  remote: boolean;
  persistTo?: string;
  config: string;
}

export interface StoredKey {
  storageKey: string;
  listing?: ConsumerListing;
}

export const describeStore = (store: Store) =>
  store.remote ? "the CONSUMERS namespace on Cloudflare" : `the local CONSUMERS namespace in ${store.persistTo ?? join(store.root, ".wrangler/state")}`;

/** The namespace the options name, in the project folder that holds the wrangler config. */
export function openStore(values: Pick<Values, "root" | "local" | "remote" | "persist-to">, command: string): Store {
  if (values.local && values.remote)
    throw new KeysError("--local and --remote exclude each other.", `portico keys ${command}`, "give one of them (--local is the default).");
  const root = resolve(values.root ?? process.cwd());
  const config = ["wrangler.toml", "wrangler.jsonc", "wrangler.json"].map((name) => join(root, name)).find(existsSync);
  if (!config) throw new KeysError("No wrangler config in the project folder.", root, "run portico in the project folder, or pass --root <dir>.");
  if (values.remote && values["persist-to"] !== undefined) {
    throw new KeysError("--persist-to is for the local state, not --remote.", `portico keys ${command}`, "drop one of them.");
  }
  const persistTo = values["persist-to"] === undefined ? undefined : resolve(values["persist-to"]);
  return { root, remote: values.remote ?? false, persistTo, config };
}

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
    const lines = stripVTControlCharacters(`${stderr}\n${stdout}`)
      .split("\n")
      .map((line) => line.trim());
    const reason =
      lines
        .find((line) => line.startsWith("✘ [ERROR]"))
        ?.slice(9)
        .trim() ??
      lines.filter(Boolean).at(-1) ??
      (error as Error).message;
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

export async function listKeys(store: Store): Promise<StoredKey[]> {
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

export async function readRecord(store: Store, storageKey: string): Promise<ConsumerRecord | undefined> {
  return parseConsumerRecord(await wrangler(store, ["key", "get", storageKey, "--text"]));
}

/** Runs a bulk command with its list in a temporary file, removed afterwards. */
export async function bulk(store: Store, command: "put" | "delete", items: unknown[]): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), "portico-keys-"));
  try {
    const file = join(folder, `${command}.json`);
    writeFileSync(file, JSON.stringify(items));
    await wrangler(store, ["bulk", command, file, ...(command === "delete" ? ["--force"] : [])]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export async function writeRecords(store: Store, records: { storageKey: string; record: ConsumerRecord }[]) {
  await bulk(
    store,
    "put",
    records.map(({ storageKey, record }) => ({ key: storageKey, value: JSON.stringify(record), metadata: consumerListing(record) })),
  );
}
