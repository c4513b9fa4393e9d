/**
 * @module
 * The traffic bench's Worker entry around the generated gateway: the gateway
 * itself, unchanged, and the CachePurges class the cache policy's
 * CACHE_PURGE binding needs (src/worker.ts exports it the same way).
 */
export { CachePurges } from "../../../src/policies/cache/cache-purges.ts";

export default function unchanged<Gateway>(gateway: Gateway): Gateway {
  return gateway;
}
