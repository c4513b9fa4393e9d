/**
 * @module
 * The gateway's admin routes, /_portico/<built-in>/…: a built-in that needs
 * one (quota's usage reader, the cache's purge) declares it, with its method,
 * and the router mounts it here before the document's routes. A caller without the Worker's
 * PORTICO_ADMIN_TOKEN falls through to them and gets the same 404 as for
 * any path that does not exist; without the token set, or with one too short,
 * the routes are closed (admin-guard.ts).
 */
import type { Hono } from "hono";
import { isAdmin } from "./admin-guard.ts";
import type { Env } from "./builtin.ts";
import type { AdminMount } from "./route-table.ts";
import { setupOf } from "./setup.ts";

/** Mounts every admin route of the route table's built-ins. */
export function mountAdmin(app: Hono, mounts: readonly AdminMount[]): void {
  for (const mount of mounts) {
    for (const route of mount.builtin.admin ?? []) {
      app.on(route.method ?? "GET", `/_portico/${mount.name}${route.path}`, async (c, next) => {
        const env = (c.env ?? {}) as Env;
        if (!(await isAdmin(c.req.raw, env))) return next();
        const instances = mount.instances.map((instance) => setupOf(instance, env));
        return route.answer(c.req.raw, c.req.param() as Record<string, string>, env, instances);
      });
    }
  }
}
