/**
 * @module
 * `portico keys`: create, list, revoke and rotate consumers' API keys in the
 * KV namespace bound as CONSUMERS, through wrangler's KV commands: the local
 * state `npm run dev` reads by default, the deployed namespace with --remote;
 * or through a running gateway's admin routes with --gateway (keys-gateway.ts).
 */
import {
  type ConsumerRecord,
  apiKeyHash,
  apiKeyPreview,
  consumerListing,
  consumerStorageKey,
  generateApiKey,
  isConsumerRecordActive,
  isWellFormedApiKey,
} from "../policies/authenticate/key-format.ts";
import { parseDuration, parseExpiry, parseMetadata, parseScopes, readKeysArgs, requireIdentifier, type Values } from "./keys-args.ts";
import { KeysError } from "./keys-error.ts";
import { bulk, describeStore, listKeys, openStore, readRecord, type Store, writeRecords } from "./kv-store.ts";
import { keysThroughGateway } from "./keys-gateway.ts";
import { previousLines, printListing, printRevoked, showOnce } from "./keys-output.ts";
import { printProblem } from "./style.ts";

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
  --gateway <url>     A running gateway, through its admin routes (/_portico/consumers), with
                      $PORTICO_ADMIN_TOKEN or the line in .dev.vars: http://127.0.0.1:8787 for
                      \`npm run dev\`, the https:// address of a deployed one
  --json              Print the result, or the error, as JSON`;

// Cloudflare refuses KV metadata above 1024 bytes.
const MAX_METADATA_BYTES = 1024;

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
    throw new KeysError(
      `The key's listing (id, name, tier, scopes) is over ${MAX_METADATA_BYTES} bytes.`,
      "--name, --scopes",
      "shorten the name or use fewer scopes.",
    );
  }
  await writeRecords(store, [{ storageKey: consumerStorageKey(await apiKeyHash(key)), record }]);
  if (json) console.log(JSON.stringify({ key, ...record }, null, 2));
  else showOnce(`Created an API key for consumer "${id}" in ${describeStore(store)}:`, key, record, "");
}

async function list(store: Store, values: Values, json: boolean) {
  const listed = (await listKeys(store)).filter((stored) => values.consumer === undefined || stored.listing?.id === values.consumer);
  printListing(
    listed.map((stored) => stored.listing),
    values.consumer,
    describeStore(store),
    json,
  );
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
    throw new KeysError(
      `${targets.length} keys have the preview ${values.preview}.`,
      describeStore(store),
      "revoke with the key itself, or add --consumer <id>.",
    );
  }
  await bulk(
    store,
    "delete",
    targets.map((target) => target.storageKey),
  );
  const revoked = targets.map(({ listing }) => ({ keyPreview: listing?.keyPreview ?? "?", consumer: listing?.id ?? "?" }));
  printRevoked(revoked, describeStore(store), json);
}

async function rotate(store: Store, values: Values, json: boolean) {
  const id = requireIdentifier(values.consumer, "consumer", "rotate");
  const now = Date.now();
  const grace = parseDuration(values.grace ?? "24h", "grace");
  const expiresAt = parseExpiry(values.expires, now);
  const current = (await listKeys(store)).filter(({ listing }) => listing?.id === id && isConsumerRecordActive(listing, now));
  if (current.length === 0)
    throw new KeysError(`Consumer "${id}" has no working key to rotate.`, describeStore(store), `create one: portico keys create --consumer ${id}`);
  const old: { storageKey: string; record: ConsumerRecord }[] = [];
  for (const { storageKey } of current) {
    const record = await readRecord(store, storageKey);
    if (record) old.push({ storageKey, record });
  }
  const template = old.map((o) => o.record).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (!template)
    throw new KeysError(
      `The records of consumer "${id}" cannot be read.`,
      describeStore(store),
      `revoke them and create a new key: portico keys revoke --consumer ${id}`,
    );
  const key = generateApiKey();
  const fresh = { ...template, keyPreview: apiKeyPreview(key), createdAt: new Date(now).toISOString(), expiresAt, disabled: false };
  const until = new Date(now + grace).toISOString();
  const ending = old.map(({ storageKey, record }) => ({
    storageKey,
    record: { ...record, expiresAt: record.expiresAt && record.expiresAt < until ? record.expiresAt : until },
  }));
  await writeRecords(store, [{ storageKey: consumerStorageKey(await apiKeyHash(key)), record: fresh }, ...(grace > 0 ? ending : [])]);
  if (grace === 0)
    await bulk(
      store,
      "delete",
      current.map((stored) => stored.storageKey),
    );
  const previous = ending.map(({ record }) => ({ keyPreview: record.keyPreview, expiresAt: grace > 0 ? record.expiresAt : null, revoked: grace === 0 }));
  if (json) {
    console.log(JSON.stringify({ key, ...fresh, previous }, null, 2));
  } else {
    showOnce(`Rotated the API key of consumer "${id}" in ${describeStore(store)}:`, key, fresh, previousLines(previous));
  }
}

/** `portico keys <command> ...`; returns the exit code. */
export async function keys(argv: string[]): Promise<number> {
  // Read apart from the parser: a command line it refuses still gets its error as JSON.
  const json = argv.includes("--json");
  try {
    const { command, key, values } = readKeysArgs(argv);
    if (command === "help") {
      console.log(KEYS_HELP);
      return 0;
    }
    if (values.gateway !== undefined) return await keysThroughGateway(command, key, values, json);
    const store = openStore(values, command);
    if (command === "create") await create(store, values, json);
    else if (command === "list") await list(store, values, json);
    else if (command === "revoke") await revoke(store, values, key, json);
    else await rotate(store, values, json);
    return 0;
  } catch (error) {
    if (!(error instanceof KeysError)) throw error;
    printProblem({ message: error.message, where: error.where, hint: error.fix }, json);
    return 1;
  }
}
