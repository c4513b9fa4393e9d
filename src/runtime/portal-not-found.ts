/**
 * @module
 * A missing page of the developer portal answered as a page. Workers Static
 * Assets serve the portal's files before the Worker runs, so a request that
 * reaches the gateway under the portal's base path found no file: a reader
 * who followed a stale link gets the portal's own 404 page (from the assets,
 * through the binding wrangler.toml's [assets] names), not an API's problem
 * document. Everywhere else, and without the binding, the problem stays.
 */
import type { Env } from "./builtin.ts";

/** The binding wrangler.toml's [assets] declares (`binding = "ASSETS"`). */
const ASSETS_BINDING = "ASSETS";

interface AssetFetcher {
  fetch(input: URL | string): Promise<Response>;
}

/**
 * The portal's 404 page for `request`, or undefined when it is no reader's page request under
 * `base` ("/docs"; "" for a portal at the root, where only requests that accept HTML qualify).
 */
export async function portalNotFound(request: Request, path: string, env: Env, base: string | undefined): Promise<Response | undefined> {
  if (base === undefined || (request.method !== "GET" && request.method !== "HEAD")) return undefined;
  if (base === "" ? !/\btext\/html\b/.test(request.headers.get("accept") ?? "") : path !== base && !path.startsWith(`${base}/`)) return undefined;
  const assets = env[ASSETS_BINDING] as AssetFetcher | undefined;
  if (typeof assets?.fetch !== "function") return undefined;
  // Extensionless: the assets answer `404.html` itself with a redirect to `404`.
  const page = await assets.fetch(new URL(`${base}/404`, request.url));
  if (!page.ok) return undefined;
  return new Response(page.body, { status: 404, headers: { "content-type": page.headers.get("content-type") ?? "text/html; charset=utf-8" } });
}
