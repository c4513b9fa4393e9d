/**
 * @module
 * GET and POST <base>/keys: the signed-in developer's own keys, and making,
 * rotating and revoking them. Every action names a key by its id and acts
 * only when that id is among the developer's own (consumer id from the
 * session, never from the form), behind the session's CSRF token and an
 * Origin check.
 */
import { PROBLEM } from "../runtime/errors.ts";
import { isLedgerNamespace } from "../policies/usage/stores.ts";
import { LEDGER_NAME } from "../policies/usage/ledger-buffer.ts";
import type { UsageLedger } from "../policies/usage/usage-ledger.ts";
import { createKey, listKeys, readKey, revokeKeys, rotateKeys, type ListedKey } from "./consumer-keys.ts";
import { MAX_GRACE_SECONDS, readName } from "./key-input.ts";
import { keysBody, type KeysView } from "./keys-page.ts";
import type { PortalContext } from "./portal-context.ts";
import { page, redirect, refusal } from "./respond.ts";
import { isSameSiteChange, openSession, type OpenSession } from "./session.ts";
import { crossSite, readForm } from "./sign-in.ts";

/** Working keys one developer may hold at once. */
export const MAX_KEYS_PER_DEVELOPER = 20;
const WEEK_MS = 7 * 86_400_000;

/** The tier of the newest working key, else the portal's default for a first key. */
function tierOf(ctx: PortalContext, keys: ListedKey[]): string | undefined {
  return keys.find((key) => key.status === "active")?.tier ?? ctx.config.tier;
}

async function usageOf(ctx: PortalContext, consumer: string): Promise<KeysView["usage"]> {
  const namespace = ctx.config.usage ? ctx.env[ctx.config.usage] : undefined;
  if (!isLedgerNamespace(namespace)) return undefined;
  try {
    const ledger = (namespace as DurableObjectNamespace<UsageLedger>).get(namespace.idFromName(LEDGER_NAME));
    return (await ledger.query({ since: Date.now() - WEEK_MS, by: "operation", consumer })).rows;
  } catch {
    return undefined; // the page stands without it
  }
}

async function render(ctx: PortalContext, session: OpenSession, extra: Partial<KeysView> = {}, status = 200): Promise<Response> {
  const keys = await listKeys(ctx.kv, session.consumer);
  const view: KeysView = { session, keys, tier: tierOf(ctx, keys), usage: await usageOf(ctx, session.consumer), ...extra };
  return page(ctx.request, ctx.env, ctx.config, { title: "My keys", body: keysBody(ctx.config, view), status });
}

export async function keysPage(ctx: PortalContext): Promise<Response> {
  const session = await openSession(ctx.kv, ctx.signer, ctx.request, ctx.secure);
  const base = ctx.config.basePath;
  if (ctx.request.method !== "POST") return session ? render(ctx, session) : redirect(`${base}/login?return=${encodeURIComponent(`${base}/keys`)}`);
  if (!session) return refusal(ctx.request, ctx.env, ctx.config, PROBLEM.unauthorized, "Your session has ended.", { href: `${base}/login`, text: "Sign in" });
  const form = await readForm(ctx.request);
  if (!form || !(await isSameSiteChange(ctx.request, ctx.signer, session, form.get("csrf")))) return crossSite(ctx);
  const action = form.get("action");
  if (action === "create") return create(ctx, session, form);
  const own = (await listKeys(ctx.kv, session.consumer)).find((key) => key.keyId === form.get("keyId"));
  // Another developer's key and no key at all look the same.
  if (!own) return render(ctx, session, { notice: { text: "None of your keys has that id.", error: true } }, 404);
  if (action === "revoke") {
    await revokeKeys(ctx.kv, [own.keyId]);
    return render(ctx, session, { notice: { text: `Revoked ${own.name} (${own.keyPreview}…). It stops working within about a minute.` } });
  }
  if (action === "rotate") return rotate(ctx, session, own, form);
  return render(ctx, session, { notice: { text: "Unknown action.", error: true } }, 400);
}

async function create(ctx: PortalContext, session: OpenSession, form: URLSearchParams): Promise<Response> {
  const name = readName(form.get("name") ?? undefined);
  if (typeof name !== "string") return render(ctx, session, { notice: { text: "Give the key a name of at most 100 characters.", error: true } }, 400);
  const keys = await listKeys(ctx.kv, session.consumer);
  if (keys.filter((key) => key.status === "active").length >= MAX_KEYS_PER_DEVELOPER) {
    return render(ctx, session, { notice: { text: `You have ${MAX_KEYS_PER_DEVELOPER} working keys: revoke one first.`, error: true } }, 409);
  }
  const issued = await createKey(ctx.kv, {
    consumer: session.consumer,
    name,
    tier: tierOf(ctx, keys),
    metadata: { issuer: session.issuer, subject: session.subject },
  });
  return render(ctx, session, { issued: { key: issued.key, name } }, 201);
}

async function rotate(ctx: PortalContext, session: OpenSession, own: ListedKey, form: URLSearchParams): Promise<Response> {
  const grace = Number(form.get("grace") ?? "86400");
  const record = own.status === "active" ? await readKey(ctx.kv, own.keyId) : undefined;
  if (!record || !Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS) {
    return render(ctx, session, { notice: { text: "Only a working key can be rotated, with a grace of up to 90 days.", error: true } }, 400);
  }
  const rotated = await rotateKeys(ctx.kv, [{ keyId: own.keyId, record }], { graceMs: grace * 1000, expiresAt: record.expiresAt });
  const [old] = rotated.previous;
  const previous = old.revoked ? `The old key ${old.keyPreview}… is revoked.` : `The old key ${old.keyPreview}… works until ${old.expiresAt}.`;
  return render(ctx, session, { issued: { key: rotated.key, name: record.name, previous } });
}
