/**
 * @module
 * `portico keys … --gateway <url>`: the same commands through a running
 * gateway's admin routes (/_portico/consumers/…, src/selfserve/consumers-admin.ts),
 * bearing PORTICO_ADMIN_TOKEN. The gateway writes the namespace it is bound
 * to, so this reaches a deployed gateway's keys without wrangler or a
 * Cloudflare login, and a key made this way works at once.
 */
import { resolve } from "node:path";
import type { ConsumerRecord } from "../policies/authenticate/key-format.ts";
import type { ListedKey, Retired } from "../selfserve/consumer-keys.ts";
import { adminGet, adminPost, adminToken, NO_ADMIN_TOKEN } from "./admin-client.ts";
import { parseDuration, parseExpiry, parseMetadata, parseScopes, requireIdentifier, type KeysCommand, type Values } from "./keys-args.ts";
import { KeysError } from "./keys-error.ts";
import { previousLines, printListing, printRevoked, showOnce } from "./keys-output.ts";

const BASE = "/_portico/consumers";

type Issued = ConsumerRecord & { key: string; keyId: string };
type Revoked = { revoked: Array<{ keyId: string; keyPreview: string; consumer: string }> };

/** Asks the gateway; its JSON answer when it is a success, else a KeysError saying why. */
async function ask<T>(values: Values, path: string, body?: unknown): Promise<T> {
  const base = values.gateway!;
  const token = adminToken(resolve(values.root ?? process.cwd()));
  if (!token) throw new KeysError(NO_ADMIN_TOKEN.message, NO_ADMIN_TOKEN.where, NO_ADMIN_TOKEN.hint);
  const asked = body === undefined ? await adminGet(base, path, token, "--gateway") : await adminPost(base, path, token, "--gateway", body);
  if ("problem" in asked) throw new KeysError(asked.problem.message, asked.problem.where, asked.problem.hint);
  const { url, response } = asked;
  const text = await response.text();
  let answer: Record<string, unknown> = {};
  try {
    answer = JSON.parse(text);
  } catch {
    // told below, with what came instead
  }
  if (response.ok) return answer as T;
  const where = `${body === undefined ? "GET" : "POST"} ${url.pathname}`;
  const detail = typeof answer.detail === "string" ? answer.detail : undefined;
  // Everyone without the token gets the router's own 404, as for a path that does not exist.
  if (response.status === 404 && (detail === undefined || detail.startsWith("No operation matches"))) {
    throw new KeysError(
      `The gateway at ${url.origin} answered 404: its admin routes are closed to this token, or no security scheme of it reads consumers from KV.`,
      where,
      "set PORTICO_ADMIN_TOKEN, at least 32 characters, in .dev.vars (`wrangler secret put PORTICO_ADMIN_TOKEN` when deployed) and send the same.",
    );
  }
  const hint = response.status === 404 ? "run `portico keys list --gateway <url>` to see the keys." : "check the gateway's log (`portico tail` when deployed).";
  throw new KeysError(detail ?? `The gateway at ${url.origin} answered ${response.status}: ${text.slice(0, 200)}`, where, hint);
}

const consumerPath = (id: string) => `${BASE}/${encodeURIComponent(id)}/keys`;

/** Runs a keys command against the gateway at --gateway; the exit code. */
export async function keysThroughGateway(command: KeysCommand, key: string | undefined, values: Values, json: boolean): Promise<number> {
  if (values.local || values.remote || values["persist-to"] !== undefined) {
    throw new KeysError(
      "--gateway goes through a running gateway: --local, --remote and --persist-to do not apply.",
      `portico keys ${command}`,
      "drop one of them.",
    );
  }
  const where = `the gateway at ${values.gateway}`;
  if (command === "list") {
    const query = values.consumer === undefined ? "" : `?consumer=${encodeURIComponent(values.consumer)}`;
    const { keys } = await ask<{ keys: ListedKey[] }>(values, `${BASE}${query}`);
    printListing(keys, values.consumer, where, json);
  } else if (command === "create") {
    const id = requireIdentifier(values.consumer, "consumer", "create");
    const tier = values.tier === undefined ? undefined : requireIdentifier(values.tier, "tier", "create");
    const body = {
      name: values.name,
      tier,
      scopes: parseScopes(values.scopes),
      metadata: parseMetadata(values.metadata),
      expiresAt: parseExpiry(values.expires, Date.now()),
    };
    const issued = await ask<Issued>(values, consumerPath(id), body);
    if (json) console.log(JSON.stringify(issued, null, 2));
    else showOnce(`Created an API key for consumer "${id}" at ${where}:`, issued.key, issued, "");
  } else if (command === "rotate") {
    const id = requireIdentifier(values.consumer, "consumer", "rotate");
    const graceSeconds = parseDuration(values.grace ?? "24h", "grace") / 1000;
    const rotated = await ask<Issued & { previous: Retired[] }>(values, `${consumerPath(id)}/rotate`, {
      graceSeconds,
      expiresAt: parseExpiry(values.expires, Date.now()),
    });
    if (json) console.log(JSON.stringify(rotated, null, 2));
    else showOnce(`Rotated the API key of consumer "${id}" at ${where}:`, rotated.key, rotated, previousLines(rotated.previous));
  } else {
    const { revoked } = await revoke(values, key);
    printRevoked(revoked, where, json);
  }
  return 0;
}

async function revoke(values: Values, key: string | undefined): Promise<Revoked> {
  const filtered = values.consumer !== undefined || values.preview !== undefined;
  if ((key === undefined) === !filtered) {
    const what = key === undefined ? "keys revoke needs the key, --consumer <id> or --preview <ptk_xxxx>." : "Give the key or --consumer/--preview, not both.";
    throw new KeysError(what, "portico keys revoke", "run `portico keys list --gateway <url>` to see the keys.");
  }
  if (key !== undefined) return ask<Revoked>(values, `${BASE}/revoke`, { key });
  let consumer = values.consumer;
  if (consumer === undefined) {
    // A preview alone: find whose it is first, so a preview two consumers share is refused rather than guessed.
    const { keys } = await ask<{ keys: ListedKey[] }>(values, BASE);
    const owners = [...new Set(keys.filter((listed) => listed.keyPreview === values.preview).map((listed) => listed.id))];
    if (owners.length === 0)
      throw new KeysError("No API key matches.", `the gateway at ${values.gateway}`, "run `portico keys list --gateway <url>` to see the keys.");
    if (owners.length > 1)
      throw new KeysError(
        `Keys of ${owners.length} consumers have the preview ${values.preview}.`,
        "--preview",
        "add --consumer <id>, or revoke with the key itself.",
      );
    consumer = owners[0];
  }
  return ask<Revoked>(values, `${consumerPath(consumer)}/revoke`, values.preview === undefined ? {} : { preview: values.preview });
}
