/**
 * @module
 * The purge generations a cache key holds, as this isolate knows them. Each
 * is read from the CachePurges object and trusted for REMEMBER_MS, so a hit
 * costs no Durable Object call most of the time; a purge made through this
 * isolate is known at once, and one made elsewhere within REMEMBER_MS.
 * Generations only grow, so a read that comes back after a newer value is
 * known never lowers it.
 */
import { durableStub } from "../../runtime/ask-counter.ts";
import type { CachePurges } from "./cache-purges.ts";

/** The name of the one CachePurges object every isolate asks. */
export const PURGES_OBJECT = "purges";

/** How long an isolate trusts a generation it read: a purge made through another reaches it within this. */
export const REMEMBER_MS = 5_000;

interface Known {
  generation: number;
  /** Until when it is trusted (ms since the epoch). */
  until: number;
}

/** By binding and name. Routes and tags are few: the map never outgrows the document. */
const known = new Map<string, Known>();
/** Reads under way, by binding and names: concurrent requests of one route wait for one read. */
const reading = new Map<string, Promise<void>>();

const at = (binding: string, name: string) => `${binding}\u0000${name}`;

/** The names a purge goes by: the route's, then each tag's. */
export function purgeNames(route: string, tags: readonly string[]): string[] {
  return [`route:${route}`, ...tags.map((tag) => `tag:${tag}`)];
}

function remember(binding: string, name: string, generation: number, now: number): number {
  const before = known.get(at(binding, name))?.generation ?? 0;
  const kept = Math.max(before, generation);
  known.set(at(binding, name), { generation: kept, until: now + REMEMBER_MS });
  return kept;
}

function purgesOf(env: Record<string, unknown>, binding: string): DurableObjectStub<CachePurges> {
  return durableStub<CachePurges>(env, binding, PURGES_OBJECT);
}

/**
 * The generation of each name. When the object cannot answer, the last ones
 * read (however old) stand in, `stale` says so; with none read yet it throws.
 */
export async function generationsOf(
  env: Record<string, unknown>,
  binding: string,
  names: readonly string[],
): Promise<{ generations: number[]; stale: boolean }> {
  const now = Date.now();
  const remembered = () => names.map((name) => known.get(at(binding, name)));
  if (remembered().every((entry) => entry !== undefined && entry.until > now)) {
    return { generations: remembered().map((entry) => entry!.generation), stale: false };
  }
  const batch = at(binding, names.join("\u0000"));
  let read = reading.get(batch);
  if (!read) {
    // In a then: a binding missing from wrangler.toml throws, and is handled as any failed read.
    read = Promise.resolve()
      .then(() => purgesOf(env, binding).generations([...names]))
      .then((generations) => {
        const readAt = Date.now();
        names.forEach((name, i) => remember(binding, name, generations[i], readAt));
      })
      .finally(() => reading.delete(batch));
    reading.set(batch, read);
  }
  try {
    await read;
    return { generations: remembered().map((entry) => entry!.generation), stale: false };
  } catch (error) {
    const last = remembered();
    if (last.some((entry) => entry === undefined)) throw error;
    return { generations: last.map((entry) => entry!.generation), stale: true };
  }
}

/** Purges one name in the object, and knows the new generation at once. */
export async function purge(env: Record<string, unknown>, binding: string, name: string): Promise<number> {
  const generation = await purgesOf(env, binding).purge(name);
  return remember(binding, name, generation, Date.now());
}
