/**
 * Purges through POST /_portico/cache/purge: by route or tag, effective on
 * the next request through the isolate that made it, and within 5 s for a
 * purge made elsewhere; the route is closed to callers without the token.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import gateway from "../../../test/.generated/cache/app.ts";
import { call, problemOf } from "../../../test/support/call.ts";
import { fresh, get, HIT, query, STORED, upstreamHits } from "../../../test/support/cache-calls.ts";
import { elapse, freezeClockPerTest } from "../../../test/support/clock.ts";
import { PURGES_OBJECT, REMEMBER_MS } from "./generations.ts";

const sixtySeconds = query({ cc: "max-age=60" });
const admin = { authorization: `Bearer ${env.PORTICO_ADMIN_TOKEN}`, "content-type": "application/json" };

function purge(body: unknown, headers: Record<string, string> = admin) {
  return call(gateway, "/_portico/cache/purge", { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

/** Stores an answer for a new key of each path, and checks the next request is a hit. */
async function cached(...routes: string[]): Promise<string[]> {
  const paths = routes.map((route) => `/${route}/count/${fresh()}${sixtySeconds}`);
  for (const path of paths) expect((await get(path)).cacheStatus).toBe(STORED);
  for (const path of paths) expect((await get(path)).cacheStatus).toBe(HIT);
  return paths;
}

/** The counting route's key in a path. */
const keyIn = (path: string) => new URL(path, "https://api.example.com").pathname.split("/")[3];

const statusesOf = async (paths: string[]) => Promise.all(paths.map(async (path) => (await get(path)).cacheStatus));

describe("cache: purge", () => {
  it("by route: the route's next request goes to the upstream; other routes keep their entries", async () => {
    const [purged, kept] = await cached("purged", "public");
    const response = await purge({ route: "purgedCount" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ route: "purgedCount", generation: expect.any(Number) });
    expect(await statusesOf([purged, kept])).toEqual([STORED, HIT]);
    expect(await upstreamHits(keyIn(purged))).toBe(2);
    expect(await statusesOf([purged])).toEqual([HIT]);
  });

  it("by tag: every cache policy with the tag, and no other", async () => {
    const [catalogue, exhibits, other] = await cached("catalogue", "exhibits", "public");
    expect((await purge({ tag: "exhibits" })).status).toBe(200);
    expect(await statusesOf([catalogue, exhibits, other])).toEqual([HIT, STORED, HIT]);
    expect((await purge({ tag: "catalogue" })).status).toBe(200);
    expect(await statusesOf([catalogue, exhibits, other])).toEqual([STORED, STORED, HIT]);
  });

  it("answers an unknown route or tag with a 404 naming the known ones, and a body it cannot read with a 400", async () => {
    const route = await purge({ route: "nowhere" });
    expect(route.status).toBe(404);
    const unknownRoute = (await problemOf(route)) as Awaited<ReturnType<typeof problemOf>> & { routes: string[] };
    expect(unknownRoute.detail).toMatch(/^No operation with the operationId "nowhere" has a cache policy\. Cached routes: .*purgedCount/);
    expect(unknownRoute.routes).toContain("catalogueCount");
    const tag = await purge({ tag: "nothing" });
    expect(tag.status).toBe(404);
    expect((await problemOf(tag)).detail).toBe('No cache policy has the tag "nothing". Tags in use: catalogue, exhibits.');
    for (const body of ["not json", {}, { route: "purgedCount", tag: "catalogue" }, { route: "" }, { tag: 7 }, { route: "purgedCount", all: true }, [1]]) {
      const refused = await purge(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect((await problemOf(refused)).detail, JSON.stringify(body)).toMatch(/route|tag|JSON/);
    }
  });

  it("is the same 404 as any unknown path without the token, with a wrong one, or as a GET", async () => {
    const [path] = await cached("purged");
    const callers: Array<Record<string, string>> = [
      { "content-type": "application/json" },
      { "content-type": "application/json", authorization: "Bearer not-the-admin-token-0123456789abcdef", "cf-connecting-ip": "192.0.2.77" },
    ];
    for (const headers of callers) {
      const refused = await purge({ route: "purgedCount" }, headers);
      expect(refused.status).toBe(404);
      expect((await problemOf(refused)).detail).toBe("No operation matches POST /_portico/cache/purge.");
    }
    const asGet = await call(gateway, "/_portico/cache/purge", { headers: admin });
    expect(asGet.status).toBe(404);
    expect(await statusesOf([path])).toEqual([HIT]);
  });
});

describe("cache: purge generations as an isolate knows them", () => {
  freezeClockPerTest();

  it(`sees a purge made through another isolate within ${REMEMBER_MS / 1000} s`, async () => {
    const [path] = await cached("catalogue");
    // As another isolate would: straight into the object, which this isolate only reads.
    await env.CACHE_PURGE.get(env.CACHE_PURGE.idFromName(PURGES_OBJECT)).purge("tag:catalogue");
    expect(await statusesOf([path])).toEqual([HIT]);
    elapse(REMEMBER_MS);
    expect(await statusesOf([path])).toEqual([STORED]);
  });

  it("keeps caching with the generations last read when the object cannot answer, and caches nothing before it ever has", async () => {
    const [path] = await cached("public");
    const broken = { ...env, CACHE_PURGE: undefined };
    elapse(REMEMBER_MS);
    expect((await call(gateway, path, {}, broken)).headers.get("cache-status")).toBe(HIT);
    const cold = `/cold/count/${fresh()}${sixtySeconds}`;
    for (let i = 0; i < 2; i++)
      expect((await call(gateway, cold, {}, broken)).headers.get("cache-status")).toBe("Portico; fwd=bypass; detail=purges-unavailable");
  });
});
