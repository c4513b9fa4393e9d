/**
 * @module
 * GET <base>/login, GET <base>/callback, GET and POST <base>/logout. The
 * state, nonce and PKCE verifier of a sign-in travel in a short-lived signed
 * cookie, cleared when the developer comes back, so a callback replayed
 * without it, or with another sign-in's state, is refused. A developer's
 * consumer id is the configured prefix (`portal:` by default) and the ID
 * token's `sub`, from the one issuer the portal trusts.
 */
import { PROBLEM } from "../runtime/errors.ts";
import { readBounded } from "../runtime/read-bounded.ts";
import { logoutBody } from "./keys-page.ts";
import { authorizationUrl, discoverProvider, exchangeCode, SignInError, verifyIdToken, type Client } from "./oidc.ts";
import type { PortalContext } from "./portal-context.ts";
import { page, redirect, refusal } from "./respond.ts";
import {
  base64url,
  cookieNames,
  endSession,
  isSameSiteChange,
  LOGIN_SECONDS,
  openSession,
  randomToken,
  readCookie,
  SESSION_SECONDS,
  setCookie,
  startSession,
} from "./session.ts";

interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  at: number;
}

const client = (ctx: PortalContext): Client => ({
  clientId: ctx.auth.clientId,
  clientSecret: ctx.auth.clientSecret,
  redirectUri: new URL(`${ctx.config.basePath}/callback`, ctx.request.url).href,
});

/** Where to go after signing in: a page of the portal, never another site. */
function returnPath(ctx: PortalContext, asked: string | null): string {
  const base = ctx.config.basePath;
  return asked && asked.startsWith(`${base}/`) && !asked.startsWith("//") && !/[\\\s]/.test(asked) ? asked : `${base}/keys`;
}

const signInFailed = (ctx: PortalContext, detail: string) =>
  refusal(ctx.request, ctx.env, ctx.config, PROBLEM.badRequest, detail, { href: `${ctx.config.basePath}/login`, text: "Sign in again" });

export async function login(ctx: PortalContext): Promise<Response> {
  const returnTo = returnPath(ctx, new URL(ctx.request.url).searchParams.get("return"));
  if (await openSession(ctx.kv, ctx.signer, ctx.request, ctx.secure)) return redirect(returnTo);
  let provider;
  try {
    provider = await discoverProvider(ctx.auth.issuer, ctx.waitUntil);
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    return refusal(ctx.request, ctx.env, ctx.config, PROBLEM.badGateway, error.message);
  }
  const pending: PendingLogin = { state: randomToken(), nonce: randomToken(), verifier: randomToken(), returnTo, at: Date.now() };
  const sealed = await ctx.signer.seal(base64url(new TextEncoder().encode(JSON.stringify(pending))));
  const cookie = setCookie(cookieNames(ctx.secure).login, sealed, LOGIN_SECONDS, ctx.secure);
  return redirect(await authorizationUrl(provider, client(ctx), pending), [cookie]);
}

async function pendingLogin(ctx: PortalContext): Promise<PendingLogin | undefined> {
  const opened = await ctx.signer.open(readCookie(ctx.request, cookieNames(ctx.secure).login));
  if (!opened) return undefined;
  try {
    const pending = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(atob(opened.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0))),
    ) as PendingLogin;
    return Date.now() - pending.at < LOGIN_SECONDS * 1000 ? pending : undefined;
  } catch {
    return undefined;
  }
}

export async function callback(ctx: PortalContext): Promise<Response> {
  const query = new URL(ctx.request.url).searchParams;
  const pending = await pendingLogin(ctx);
  if (!pending || query.get("state") !== pending.state) {
    return signInFailed(ctx, "This sign-in did not start here, or it took more than 10 minutes.");
  }
  const code = query.get("code");
  if (!code) return signInFailed(ctx, `The sign-in provider did not sign you in (${query.get("error") ?? "no code"}).`);
  let session;
  try {
    const provider = await discoverProvider(ctx.auth.issuer, ctx.waitUntil);
    const idToken = await exchangeCode(provider, client(ctx), code, pending.verifier);
    const claims = await verifyIdToken(provider, idToken, ctx.auth.clientId, pending.nonce, ctx.waitUntil);
    const shown = [claims.name, claims.email, claims.sub].find((value): value is string => typeof value === "string" && value !== "")!;
    session = {
      consumer: `${ctx.config.consumerPrefix}${claims.sub}`,
      issuer: provider.issuer,
      subject: claims.sub,
      name: shown.slice(0, 200),
      createdAt: new Date().toISOString(),
    };
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    return signInFailed(ctx, error.message);
  }
  const names = cookieNames(ctx.secure);
  const sealed = await startSession(ctx.kv, ctx.signer, session);
  return redirect(pending.returnTo, [setCookie(names.session, sealed, SESSION_SECONDS, ctx.secure), setCookie(names.login, "", 0, ctx.secure)]);
}

export async function logout(ctx: PortalContext): Promise<Response> {
  const home = `${ctx.config.basePath}/`;
  const session = await openSession(ctx.kv, ctx.signer, ctx.request, ctx.secure);
  if (ctx.request.method !== "POST") {
    return session ? page(ctx.request, ctx.env, ctx.config, { title: "Sign out", body: logoutBody(session) }) : redirect(home);
  }
  if (!session) return redirect(home, [setCookie(cookieNames(ctx.secure).session, "", 0, ctx.secure)]);
  const form = await readForm(ctx.request);
  if (!(await isSameSiteChange(ctx.request, ctx.signer, session, form?.get("csrf")))) return crossSite(ctx);
  await endSession(ctx.kv, session);
  return redirect(home, [setCookie(cookieNames(ctx.secure).session, "", 0, ctx.secure)]);
}

/** The refusal of a change that does not come from the portal's own page. */
export const crossSite = (ctx: PortalContext) =>
  refusal(ctx.request, ctx.env, ctx.config, PROBLEM.forbidden, "This change did not come from the portal's own page. Reload the page and try again.");

/** A small urlencoded form; undefined for anything else. */
export async function readForm(request: Request): Promise<URLSearchParams | undefined> {
  if (!(request.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")) return undefined;
  const bytes = await readBounded(request.body, 16_384);
  return bytes && new URLSearchParams(new TextDecoder().decode(bytes));
}
