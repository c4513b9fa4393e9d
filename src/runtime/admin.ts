/**
 * @module
 * The gateway's admin routes, /_portico/<built-in>/…: a built-in that needs
 * one (quota's usage reader, for one) declares it, and the router mounts it
 * here before the document's routes. A caller without the Worker's
 * PORTICO_ADMIN_TOKEN falls through to them and gets the same 404 as for
 * any path that does not exist; without the token set, the routes are closed.
 */
import type { Hono } from "hono";
import type { Env } from "./builtin.ts";
import type { AdminMount } from "./route-table.ts";
import { setupOf } from "./setup.ts";

const sha256 = (text: string) => crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));

/** Compared as digests of equal length, in constant time, so the answer time tells nothing of the token. */
export async function isAdmin(request: Request, env: Env): Promise<boolean> {
  const expected = env.PORTICO_ADMIN_TOKEN;
  if (typeof expected !== "string" || expected === "") return false;
  const given = /^Bearer +(\S+) *$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (given === undefined) return false;
  const [a, b] = await Promise.all([sha256(given), sha256(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/** Mounts every admin route of the route table's built-ins. */
export function mountAdmin(app: Hono, mounts: readonly AdminMount[]): void {
  for (const mount of mounts) {
    for (const route of mount.builtin.admin ?? []) {
      app.get(`/_portico/${mount.name}${route.path}`, async (c, next) => {
        const env = (c.env ?? {}) as Env;
        if (!(await isAdmin(c.req.raw, env))) return next();
        const instances = mount.instances.map((instance) => setupOf(instance, env));
        return route.answer(c.req.raw, c.req.param() as Record<string, string>, env, instances);
      });
    }
  }
}
