/**
 * @module
 * The portal's sign-in and "My keys" pages, answered by the Worker under the
 * portal's base path (wrangler.toml lists them in [assets] run_worker_first,
 * so they reach it before the static portal): login, callback, logout, keys.
 * `portico build` adds this mount to the generated app when portal.config
 * has an `auth` section; without one, none of this is in the bundle.
 */
import type { Router, RouteHandler } from "../runtime/router.ts";
import type { SelfServeConfig } from "./config.ts";
import { keysPage } from "./keys-actions.ts";
import { portalContext, type PortalContext } from "./portal-context.ts";
import { callback, login, logout } from "./sign-in.ts";

export type { SelfServeConfig } from "./config.ts";

/** The mount of the generated app's route table: adds the pages to the router, before the document's routes. */
export default function selfServe(config: SelfServeConfig): (router: Router) => void {
  const answer =
    (handle: (ctx: PortalContext) => Promise<Response>): RouteHandler =>
    async ({ request, env, waitUntil }) => {
      const ctx = await portalContext(config, request, env, waitUntil);
      return ctx instanceof Response ? ctx : handle(ctx);
    };
  return (router) => {
    const base = config.basePath;
    router.add("GET", `${base}/login`, answer(login));
    router.add("GET", `${base}/callback`, answer(callback));
    router.add("GET", `${base}/logout`, answer(logout));
    router.add("POST", `${base}/logout`, answer(logout));
    router.add("GET", `${base}/keys`, answer(keysPage));
    router.add("POST", `${base}/keys`, answer(keysPage));
  };
}
