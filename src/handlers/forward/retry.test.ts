import { describe, expect, it } from "vitest";
import { backoff, mayRepeat, replayableBody, REPLAY_LIMIT, retryAfterMs } from "./retry.ts";

describe("retries", () => {
  it("repeats idempotent methods, and others only with an Idempotency-Key", () => {
    for (const method of ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]) expect(mayRepeat(new Request("https://x.example", { method }))).toBe(true);
    for (const method of ["POST", "PATCH"]) {
      expect(mayRepeat(new Request("https://x.example", { method }))).toBe(false);
      expect(mayRepeat(new Request("https://x.example", { method, headers: { "idempotency-key": "k1" } }))).toBe(true);
    }
  });

  it("waits a random time up to base × 2^retry, never over max", () => {
    expect(backoff(0, 50, 1000, 0.999)).toBe(49);
    expect(backoff(3, 50, 1000, 0.5)).toBe(200);
    expect(backoff(10, 50, 1000, 0.999)).toBe(999);
    expect(backoff(2, 50, 1000, 0)).toBe(0);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs("3", now)).toBe(3000);
    expect(retryAfterMs(" 0 ", now)).toBe(0);
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:02 GMT", now)).toBe(2000);
    expect(retryAfterMs("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs("-1", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it("keeps a body to send again only when its declared length is within the limit", async () => {
    // As a client's request arrives: with the Content-Length it declared.
    const post = (body: Uint8Array) => new Request("https://x.example", { method: "POST", body, headers: { "content-length": String(body.length) } });
    const hello = new TextEncoder().encode("hello");
    expect(new Uint8Array((await replayableBody(post(hello)))!)).toEqual(hello);
    expect(await replayableBody(new Request("https://x.example"))).toBeNull();
    expect(await replayableBody(post(new Uint8Array(REPLAY_LIMIT)))).toBeInstanceOf(ArrayBuffer);
    expect(await replayableBody(post(new Uint8Array(REPLAY_LIMIT + 1)))).toBeUndefined();
    const chunked = new ReadableStream({ pull: (controller) => (controller.enqueue(new Uint8Array(4)), controller.close()) });
    expect(await replayableBody(new Request("https://x.example", { method: "POST", body: chunked, duplex: "half" } as RequestInit))).toBeUndefined();
  });
});
