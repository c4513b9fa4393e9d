import { describe, expect, it } from "vitest";
import { formatAccessLine, formatBytes, isAccessLine, prettyLogLine, prettyLogStream } from "./access-line.ts";

const line = {
  level: "info",
  message: "request",
  requestId: "5f0c9a1e-0d1b-4a5e-9c57-2f1e3a4b5c6d",
  operationId: "getExhibit",
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  method: "GET",
  route: "/exhibits/{id}",
  path: "/exhibits/42",
  status: 200,
  durationMs: 12.4,
  upstreamMs: 8.1,
  bytesIn: 0,
  bytesOut: 512,
  consumer: "acme",
  tier: "free",
  client: "203.0.113.9",
  rateLimit: "allowed",
  cache: "hit",
  problem: null,
  time: "2026-12-03T14:00:00.000Z",
};

const plain = (fields: Record<string, unknown>) => formatAccessLine(fields, { colour: false });

describe("formatAccessLine", () => {
  it("reads as time, status, method, path, operation, durations, consumer/tier and size", () => {
    expect(plain({ ...line, cache: undefined })).toBe("14:00:00 200 GET /exhibits/42 → getExhibit 12 ms (upstream 8 ms) acme/free 512 B");
  });

  it("marks a cache hit or a stale answer, never a miss", () => {
    expect(plain(line)).toMatch(/512 B cache hit$/);
    expect(plain({ ...line, cache: "stale" })).toMatch(/512 B cache stale$/);
    expect(plain({ ...line, cache: "miss" })).toMatch(/512 B$/);
  });

  it("marks a refused request as rate-limited and names the problem type of an error", () => {
    const refused = { ...line, status: 429, rateLimit: "refused", cache: undefined, upstreamMs: undefined, problem: "too-many-requests" };
    expect(plain(refused)).toBe("14:00:00 429 GET /exhibits/42 → getExhibit 12 ms acme/free 512 B rate-limited too-many-requests");
    expect(plain({ ...line, status: 422, problem: "validation-failed", cache: undefined })).toMatch(/ 422 .* validation-failed$/);
  });

  it("copes with what a 404 or an anonymous call leaves out: no operation, no upstream, no consumer, no path", () => {
    const notFound = { ...line, status: 404, operationId: null, route: null, upstreamMs: undefined, consumer: null, tier: null, cache: undefined };
    expect(plain({ ...notFound, problem: "not-found" })).toBe("14:00:00 404 GET /exhibits/42 12 ms 512 B not-found");
    expect(plain({ message: "request", status: 204, method: "DELETE", route: "/exhibits/{id}", consumer: "acme", bytesOut: null })).toBe(
      "204 DELETE /exhibits/{id} acme",
    );
  });

  it("says a sub-millisecond time is under one, and shows bytes in when a body came", () => {
    expect(plain({ ...line, durationMs: 0.3, upstreamMs: undefined, cache: undefined, bytesIn: 2048, bytesOut: 3 * 1024 * 1024 })).toBe(
      "14:00:00 200 GET /exhibits/42 → getExhibit <1 ms acme/free in 2.0 KB, out 3.0 MB",
    );
    expect([0, 1023, 1024, 1536].map(formatBytes)).toEqual(["0 B", "1023 B", "1.0 KB", "1.5 KB"]);
  });

  it("colours the status by its class, and nothing when colour is off", () => {
    const coloured = (status: number) => formatAccessLine({ ...line, status, cache: undefined }, { colour: true });
    expect(coloured(200)).toContain("\x1b[32m200\x1b[0m");
    expect(coloured(304)).toContain("\x1b[36m304\x1b[0m");
    expect(coloured(404)).toContain("\x1b[33m404\x1b[0m");
    expect(coloured(503)).toContain("\x1b[31m503\x1b[0m");
    expect(plain(line)).not.toContain("\x1b[");
    expect(formatAccessLine({ message: "request", status: 200, method: "GET", route: "/" }, { colour: true })).toBe("\x1b[32m200\x1b[0m GET /");
  });
});

describe("isAccessLine", () => {
  it("is an object whose message is request and whose status is a number", () => {
    expect(isAccessLine(line)).toBe(true);
    expect(isAccessLine({ ...line, status: "200" })).toBe(false);
    expect(isAccessLine({ ...line, message: "request detail" })).toBe(false);
    expect(isAccessLine({ level: "warn", message: "usage is not recorded" })).toBe(false);
    expect(isAccessLine([line])).toBe(false);
    expect(isAccessLine(null)).toBe(false);
    expect(isAccessLine("request")).toBe(false);
  });
});

describe("prettyLogLine", () => {
  it("rewrites an access JSON line and leaves every other line as it was", () => {
    expect(prettyLogLine(JSON.stringify({ ...line, cache: undefined }), false)).toBe(
      "14:00:00 200 GET /exhibits/42 → getExhibit 12 ms (upstream 8 ms) acme/free 512 B",
    );
    const others = [
      '{"level":"error","message":"unhandled error","requestId":"r1","errorMessage":"boom","time":"2026-12-03T14:00:00.000Z"}',
      "[wrangler:info] Ready on http://127.0.0.1:8787",
      '{"message":"request", "status": 200',
      "",
    ];
    for (const other of others) expect(prettyLogLine(other, false)).toBe(other);
  });

  it("sees an access line through colours around it", () => {
    expect(prettyLogLine(`\x1b[2m${JSON.stringify(line)}\x1b[0m`, false)).toMatch(/^14:00:00 200 GET/);
  });
});

describe("prettyLogStream", () => {
  it("rewrites access lines split across chunks, holding back only an unfinished JSON line", () => {
    const readable = prettyLogStream(false);
    const json = JSON.stringify({ ...line, cache: undefined });
    expect(readable(`[wrangler:info] GET /exhibits/42\n${json.slice(0, 40)}`)).toBe("[wrangler:info] GET /exhibits/42\n");
    expect(readable(`${json.slice(40)}\nnext`)).toBe("14:00:00 200 GET /exhibits/42 → getExhibit 12 ms (upstream 8 ms) acme/free 512 B\nnext");
    expect(readable(" line\n")).toBe(" line\n");
    expect(readable("? press a key ")).toBe("? press a key ");
  });
});
