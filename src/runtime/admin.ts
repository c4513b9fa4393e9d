/**
 * @module
 * The gateway's admin routes, /_portico/<built-in>/…: a built-in that needs
 * one (quota's usage reader, the cache's purge) declares it, with its method,
 * and the router mounts it here before the document's routes. A caller without the Worker's
 * PORTICO_ADMIN_TOKEN falls through to them and gets the same 404 as for
 * any path that does not exist; without the token set, or with one too short,
 * the routes are closed (admin-guard.ts).
 */
import { isAdmin } from "./admin-guard.ts";
import type { AdminMount } from "./route-table.ts";
import { decodedParams, type Router } from "./router.ts";
import { setupOf } from "./setup.ts";

/** Adds every admin route of the route table's built-ins to the router, before the document's routes. */
export function mountAdmin(router: Router, mounts: readonly AdminMount[]): void {
  for (const mount of mounts) {
    for (const route of mount.builtin.admin ?? []) {
      router.add(route.method ?? "GET", `/_portico/${mount.name}${route.path}`, async ({ request, env }, params) => {
        if (!(await isAdmin(request, env))) return undefined;
        const instances = mount.instances.map((instance) => setupOf(instance, env));
        return route.answer(request, decodedParams(params), env, instances);
      });
    }
  }
}
