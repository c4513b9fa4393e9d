/**
 * forward's upstream groups against real upstreams: the /groups/ routes of
 * test/support/upstream-groups.ts count what each target receives, per run id,
 * and the query says how they answer. The circuit breaker's cooldown runs on a
 * frozen clock.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import gateway from "../../../test/.generated/upstreams/app.ts";
import { call, problemOf } from "../../../test/support/call.ts";
import { elapse, freezeClockPerTest } from "../../../test/support/clock.ts";
import type { GroupLog } from "../../../test/support/upstream-groups.ts";

/** What the targets received on this path (the upstream's own, or the service binding's). */
async function logOf(path: string, via?: Fetcher): Promise<GroupLog> {
  const query = `/groups-log?path=${encodeURIComponent(path)}`;
  const response = via ? await via.fetch(`http://orders${query}`) : await fetch(`${env.UPSTREAM_URL}${query}`);
  return (await response.json()) as GroupLog;
}

const fresh = (prefix: string) => `${prefix}/${crypto.randomUUID()}`;

/** `n` GETs of `path`, one after the other; their statuses. */
async function statuses(n: number, path: string, init?: RequestInit): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < n; i++) {
    const response = await call(gateway, path, init);
    await response.arrayBuffer();
    seen.push(response.status);
  }
  return seen;
}

const count = (targets: string[], target: string) => targets.filter((t) => t === target).length;

async function sha256(bytes: Uint8Array): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("upstream groups: retries", () => {
  it("answers a GET that failed twice with the third attempt's 200", async () => {
    const path = fresh("/flaky");
    const response = await call(gateway, `${path}?fail=2`);
    expect(response.status).toBe(200);
    expect((await response.json()) as { hit: number }).toMatchObject({ hit: 3 });
    expect((await logOf(path)).hits).toBe(3);
  });

  it("gives up after 1 + attempts tries, with the upstream's last answer", async () => {
    const path = fresh("/flaky");
    expect(await statuses(1, `${path}?fail=99`)).toEqual([503]);
    expect((await logOf(path)).hits).toBe(3);
  });

  it("retries an upstream that dropped the connection", async () => {
    const path = fresh("/flaky");
    expect(await statuses(1, `${path}?drop=1`)).toEqual([200]);
    expect((await logOf(path)).hits).toBe(2);
  });

  it("sends a POST without Idempotency-Key once", async () => {
    const path = fresh("/flaky");
    const body = new Uint8Array(100);
    const response = await call(gateway, `${path}?fail=2`, { method: "POST", body, headers: { "content-length": "100" } });
    expect(response.status).toBe(503);
    expect((await logOf(path)).hits).toBe(1);
  });

  it("retries a POST with Idempotency-Key, sending the same body each time", async () => {
    const path = fresh("/flaky");
    const body = crypto.getRandomValues(new Uint8Array(64 * 1024));
    const headers = { "idempotency-key": crypto.randomUUID(), "content-length": String(body.length), "content-type": "application/octet-stream" };
    const response = await call(gateway, `${path}?fail=2`, { method: "POST", body, headers });
    expect(response.status).toBe(200);
    const log = await logOf(path);
    expect(log.hits).toBe(3);
    expect(log.bodies).toEqual(new Array(3).fill(await sha256(body)));
  });

  it("sends a body of unknown length once, streamed, even with Idempotency-Key", async () => {
    const path = fresh("/flaky");
    const body = new ReadableStream({ pull: (controller) => (controller.enqueue(new Uint8Array(1000)), controller.close()) });
    const init = { method: "POST", body, duplex: "half", headers: { "idempotency-key": "k", "content-type": "application/octet-stream" } };
    const response = await call(gateway, `${path}?fail=2`, init as RequestInit);
    expect(response.status).toBe(503);
    const log = await logOf(path);
    expect(log.hits).toBe(1);
    expect(log.bodies).toEqual([await sha256(new Uint8Array(1000))]);
  });

  it("waits what Retry-After asks before trying again", async () => {
    const path = fresh("/flaky");
    const started = Date.now();
    expect(await statuses(1, `${path}?fail=1&retryAfter=1`)).toEqual([200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await logOf(path)).hits).toBe(2);
  });

  it("keeps every attempt and wait within forward's timeout", async () => {
    // Ten retries with waits of up to a second each would take about five; the timeout is 400 ms.
    const path = fresh("/bounded");
    const started = Date.now();
    const [status] = await statuses(1, `${path}?fail=99`);
    expect(Date.now() - started).toBeLessThan(1500);
    expect([503, 504]).toContain(status);
    expect((await logOf(path)).hits).toBeLessThan(10);
  });

  it("does not wait for a Retry-After that ends past the timeout: the upstream's answer stands", async () => {
    const path = fresh("/bounded");
    const started = Date.now();
    expect(await statuses(1, `${path}?fail=99&retryAfter=5`)).toEqual([503]);
    expect(Date.now() - started).toBeLessThan(1500);
    expect((await logOf(path)).hits).toBe(1);
  });
});

describe("upstream groups: circuit breaker", () => {
  freezeClockPerTest();

  it("after 5 failures answers the next 100 requests 503 with Retry-After, without calling the upstream, until the cooldown ends; a good probe closes it", async () => {
    const path = fresh("/breaker");
    expect(await statuses(5, `${path}?status=503`)).toEqual(new Array(5).fill(503));
    for (let i = 0; i < 100; i++) {
      const response = await call(gateway, path);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("15");
      expect((await problemOf(response)).title).toBe("Service Unavailable");
    }
    expect((await logOf(path)).hits).toBe(5);
    elapse(14_000);
    const late = await call(gateway, path);
    expect([late.status, late.headers.get("retry-after")]).toEqual([503, "1"]);
    elapse(1_000);
    expect(await statuses(11, path)).toEqual(new Array(11).fill(200));
    expect((await logOf(path)).hits).toBe(16);
  });

  it("opens again for the whole cooldown when the probe fails", async () => {
    const path = fresh("/breaker");
    await statuses(5, `${path}?status=503`);
    elapse(15_000);
    expect(await statuses(1, `${path}?status=502`)).toEqual([502]);
    const response = await call(gateway, path);
    expect([response.status, response.headers.get("retry-after")]).toEqual([503, "15"]);
    expect((await logOf(path)).hits).toBe(6);
    elapse(15_000);
    expect(await statuses(1, path)).toEqual([200]);
  });
});

describe("upstream groups: balancing", () => {
  it("shares requests by weight (90/10)", async () => {
    const path = fresh("/split");
    await statuses(200, path);
    const { targets } = await logOf(path);
    // 20 expected on b: 4 to 40 is over four standard deviations either side.
    expect(count(targets, "b")).toBeGreaterThanOrEqual(4);
    expect(count(targets, "b")).toBeLessThanOrEqual(40);
    expect(count(targets, "a") + count(targets, "b")).toBe(200);
  });

  it("sends every request that asks for the canary, by header or cookie, to it", async () => {
    const path = fresh("/split");
    await statuses(30, path, { headers: { "x-canary": "1" } });
    await statuses(30, path, { headers: { cookie: "canary=true" } });
    expect(count((await logOf(path)).targets, "b")).toBe(60);
  });

  it("sends nothing to a target whose breaker is open: its share goes to the others", async () => {
    const failing = fresh("/failover");
    // b answers 503 until its breaker opens at its second failure; a answers 200.
    for (let i = 0; i < 200 && count((await logOf(failing)).targets, "b") < 2; i++) await statuses(1, `${failing}?failTarget=b`);
    expect(count((await logOf(failing)).targets, "b")).toBe(2);
    const path = fresh("/failover");
    expect(await statuses(50, path)).toEqual(new Array(50).fill(200));
    expect(count((await logOf(path)).targets, "b")).toBe(0);
  });

  it("keeps a caller on the target its sticky cookie names", async () => {
    const path = fresh("/sticky/cookie");
    const first = await call(gateway, path);
    const cookie = first.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^portico-upstream-by-cookie=[01]; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
    const target = (await first.json()) as { target: string };
    for (let i = 0; i < 20; i++) {
      const response = await call(gateway, path, { headers: { cookie: cookie.split(";")[0] } });
      expect(response.headers.get("set-cookie")).toBeNull();
      expect(((await response.json()) as { target: string }).target).toBe(target.target);
    }
  });

  it("keeps a consumer on one target, and spreads consumers over the targets", async () => {
    const path = fresh("/sticky/consumer");
    await statuses(20, path, { headers: { "x-test-consumer": "alice" } });
    expect(new Set((await logOf(path)).targets).size).toBe(1);
    const many = fresh("/sticky/consumer");
    for (let i = 0; i < 40; i++) await statuses(1, many, { headers: { "x-test-consumer": `consumer-${i}` } });
    expect(new Set((await logOf(many)).targets)).toEqual(new Set(["a", "b"]));
  });
});

describe("upstream groups: service binding targets", () => {
  it("calls the service binding with the operation's path and the caller's query, and retries it", async () => {
    const path = fresh("/orders");
    const response = await call(gateway, `${path}?fail=1&x=1`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ target: "service", path: `/groups/service${path}`, hit: 2 });
    expect((await logOf(path, env.ORDERS_WORKER)).hits).toBe(2);
  });
});

describe("upstream groups: maxResponseBytes", () => {
  it("answers 502 before any byte when the upstream declares too long an answer", async () => {
    for (const prefix of ["/limited", "/capped"]) {
      const response = await call(gateway, `${fresh(prefix)}?bytes=2000`);
      expect(response.status).toBe(502);
      expect((await problemOf(response)).detail).toBe("The upstream's answer (2000 bytes) is larger than the gateway passes on.");
    }
  });

  it("cuts off an answer of unknown length where it passes the bound, so the client sees a broken body", async () => {
    for (const prefix of ["/limited", "/capped"]) {
      const response = await call(gateway, `${fresh(prefix)}?bytes=50000&declare=0`);
      expect(response.status).toBe(200);
      await expect(response.arrayBuffer()).rejects.toThrow();
    }
  });

  it("passes an answer within the bound whole", async () => {
    for (const declare of ["1", "0"]) {
      const response = await call(gateway, `${fresh("/limited")}?bytes=1000&declare=${declare}`);
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBe(1000);
    }
  });
});

describe("forward: a client that goes away", () => {
  it("aborts the upstream's request when the request's signal fires, and answers 499 to nobody", async () => {
    const path = fresh("/held");
    const client = new AbortController();
    const answer = call(gateway, path, { signal: client.signal });
    for (let i = 0; i < 100 && (await logOf(path)).hits === 0; i++) await scheduler.wait(50);
    expect(await logOf(path)).toMatchObject({ hits: 1, closed: false });
    client.abort();
    expect((await answer).status).toBe(499);
    for (let i = 0; i < 100 && !(await logOf(path)).closed; i++) await scheduler.wait(50);
    expect((await logOf(path)).closed).toBe(true);
  });
});
