/**
 * @module
 * The consumers admin routes, /_portico/consumers/…, open only to a bearer of
 * PORTICO_ADMIN_TOKEN (runtime/admin.ts mounts them like any built-in's):
 * what `portico keys --gateway` asks, and what the portal's "My keys" page
 * does for one signed-in developer. Mounted when a security scheme of the
 * document reads consumers from KV; they write the namespace bound as
 * CONSUMERS, as `portico keys` does.
 *
 *   GET  /_portico/consumers[?consumer=<id>]          every key's listing (never a key)
 *   GET  /_portico/consumers/:consumer/keys            one consumer's
 *   POST /_portico/consumers/:consumer/keys            { name?, tier?, scopes?, metadata?, expiresAt? } → 201, the key once
 *   POST /_portico/consumers/:consumer/keys/rotate     { keyId?, graceSeconds? (86400), expiresAt? }
 *   POST /_portico/consumers/:consumer/keys/revoke     { keyId? | preview? }: none revokes all its keys
 *   POST /_portico/consumers/revoke                    { key }: the key itself
 */
import { defineBuiltin, type AdminRoute, type Env } from "../runtime/builtin.ts";
import { PROBLEM, problem, type ProblemKind } from "../runtime/errors.ts";
import { apiKeyHash, isWellFormedApiKey } from "../policies/authenticate/key-format.ts";
import { CONSUMERS_BINDING } from "./config.ts";
import { createKey, isKeyId, listingFits, listKeys, readKey, revokeKeys, rotateKeys, type ListedKey } from "./consumer-keys.ts";
import { readNewKey, readRotation, refusal, type Refusal } from "./key-input.ts";

const NO_STORE = { "cache-control": "no-store" };

type Answer = (request: Request, params: Record<string, string>, kv: KVNamespace) => Promise<Response>;

function refuse(request: Request, kind: ProblemKind, detail: string): Response {
  return problem(kind, { detail, requestId: crypto.randomUUID(), instance: new URL(request.url).pathname });
}

/** The JSON object body, or a refusal; an empty body is an empty object. */
async function bodyOf(request: Request): Promise<Record<string, unknown> | Refusal> {
  const text = await request.text();
  if (text.trim() === "") return {};
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === "object" && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // refused below
  }
  return refusal("The body must be a JSON object.");
}

const isRefusal = (value: unknown): value is Refusal => typeof value === "object" && value !== null && "refused" in value;

/** The route's answer over the CONSUMERS binding, or 503 when wrangler.toml does not bind it. */
function route(method: "GET" | "POST", path: string, answer: Answer): AdminRoute<unknown, unknown> {
  return {
    method,
    path,
    async answer(request, params, env: Env) {
      const kv = env[CONSUMERS_BINDING] as KVNamespace | undefined;
      if (!kv || typeof kv.list !== "function") {
        return refuse(request, PROBLEM.serviceUnavailable, `The KV binding ${CONSUMERS_BINDING} is missing from wrangler.toml: no consumers are kept.`);
      }
      try {
        return await answer(request, params, kv);
      } catch (error) {
        return refuse(request, PROBLEM.serviceUnavailable, `The consumers cannot be read or written right now (${String(error)}). Retry shortly.`);
      }
    },
  };
}

const listed = (keys: ListedKey[]) => Response.json({ keys }, { headers: NO_STORE });

const routes = [
  route("GET", "", async (request, _params, kv) => listed(await listKeys(kv, new URL(request.url).searchParams.get("consumer") ?? undefined))),
  route("GET", "/:consumer/keys", async (_request, { consumer }, kv) => listed(await listKeys(kv, consumer))),
  route("POST", "/:consumer/keys", async (request, { consumer }, kv) => {
    const body = await bodyOf(request);
    const input = isRefusal(body) ? body : readNewKey(consumer, body);
    if (isRefusal(input)) return refuse(request, PROBLEM.badRequest, input.refused);
    const issued = await createKey(kv, input);
    if (!listingFits(issued.record)) {
      await revokeKeys(kv, [issued.keyId]);
      return refuse(request, PROBLEM.badRequest, "The key's listing (id, name, tier, scopes) is over 1024 bytes: shorten the name or use fewer scopes.");
    }
    return Response.json({ key: issued.key, keyId: issued.keyId, ...issued.record }, { status: 201, headers: NO_STORE });
  }),
  route("POST", "/:consumer/keys/rotate", async (request, { consumer }, kv) => {
    const body = await bodyOf(request);
    const rotation = isRefusal(body) ? body : readRotation(body);
    if (isRefusal(rotation)) return refuse(request, PROBLEM.badRequest, rotation.refused);
    const current = (await listKeys(kv, consumer)).filter((key) => key.status === "active" && (rotation.keyId === undefined || key.keyId === rotation.keyId));
    const old = (await Promise.all(current.map(async ({ keyId }) => ({ keyId, record: await readKey(kv, keyId) })))).flatMap(({ keyId, record }) =>
      record ? [{ keyId, record }] : [],
    );
    if (old.length === 0)
      return refuse(request, PROBLEM.notFound, `Consumer "${consumer}" has no working key${rotation.keyId ? ` ${rotation.keyId}` : ""} to rotate.`);
    const rotated = await rotateKeys(kv, old, rotation);
    const { key, keyId, record, previous } = rotated;
    return Response.json({ key, keyId, ...record, previous }, { headers: NO_STORE });
  }),
  route("POST", "/:consumer/keys/revoke", async (request, { consumer }, kv) => {
    const body = await bodyOf(request);
    if (isRefusal(body)) return refuse(request, PROBLEM.badRequest, body.refused);
    const { keyId, preview } = body;
    if ((keyId !== undefined && !isKeyId(keyId)) || (preview !== undefined && typeof preview !== "string")) {
      return refuse(request, PROBLEM.badRequest, "keyId must be a key's 64-digit hex id, and preview a string such as ptk_Ab3x.");
    }
    const targets = (await listKeys(kv, consumer)).filter(
      (key) => (keyId === undefined || key.keyId === keyId) && (preview === undefined || key.keyPreview === preview),
    );
    if (targets.length === 0) return refuse(request, PROBLEM.notFound, `No key of consumer "${consumer}" matches.`);
    if (preview !== undefined && targets.length > 1)
      return refuse(request, PROBLEM.badRequest, `${targets.length} keys have the preview ${preview}: give the keyId.`);
    await revokeKeys(
      kv,
      targets.map((key) => key.keyId),
    );
    return Response.json(
      { revoked: targets.map(({ keyId: id, keyPreview, id: owner }) => ({ keyId: id, keyPreview, consumer: owner })) },
      { headers: NO_STORE },
    );
  }),
  route("POST", "/revoke", async (request, _params, kv) => {
    const body = await bodyOf(request);
    if (isRefusal(body)) return refuse(request, PROBLEM.badRequest, body.refused);
    if (typeof body.key !== "string" || !isWellFormedApiKey(body.key))
      return refuse(request, PROBLEM.badRequest, "key must be a Portico API key (ptk_ and 36 letters and digits).");
    const keyId = await apiKeyHash(body.key);
    const record = await readKey(kv, keyId);
    if (!record) return refuse(request, PROBLEM.notFound, "No stored key matches.");
    await revokeKeys(kv, [keyId]);
    return Response.json({ revoked: [{ keyId, keyPreview: record.keyPreview, consumer: record.id }] }, { headers: NO_STORE });
  }),
];

/** A built-in in shape only: it has no hooks, just its admin routes. */
export default defineBuiltin<unknown, unknown>({ create: () => ({}), admin: routes });
