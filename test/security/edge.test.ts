/**
 * G. Edge policies (the suite's addition to the catalogue): CORS that a
 * look-alike origin cannot pass, ip-filter judging the address the edge
 * gives and nothing a client writes, size-limit before the body is read.
 */
import { describe, expect, it } from "vitest";
import { expectProblem, send, tag, upstreamSaw } from "./support/gateway.ts";

const LOOK_ALIKES = [
  "null",
  "https://app.example.com.evil.com",
  "https://evilapp.example.com",
  "https://app.example.co",
  "https://app.example.comm",
  "http://app.example.com",
  "https://app.example.com:8443",
  "https://app.example.com/",
  "https://app.example.com%60.evil.com",
  "https://app.example.com@evil.com",
  "https://partner.example",
  "https://evil-partner.example",
  "https://partner.example.evil.com",
  "https://a.partner.example.evil.com",
  "http://a.partner.example",
  "https://a.partner.example:444",
  "https://a.partner.example_",
  "https://app.example.com, https://evil.com",
  "*",
];

describe("G. Edge policies", () => {
  it("G1: null, look-alike, other-scheme and other-port origins get no CORS headers, on answers and preflights alike", async () => {
    for (const origin of LOOK_ALIKES) {
      const answer = await send("/public", { headers: { origin } });
      const preflight = await send("/key", { method: "OPTIONS", headers: { origin, "access-control-request-method": "GET" } });
      for (const [kind, response] of [
        ["answer", answer],
        ["preflight", preflight],
      ] as const) {
        expect(response.headers.get("access-control-allow-origin"), `${kind} for ${origin}`).toBeNull();
        expect(response.headers.get("access-control-allow-credentials"), `${kind} for ${origin}`).toBeNull();
      }
    }
  });

  it("G1: listed origins and subdomains of the wildcard get their own origin echoed with credentials, on errors too", async () => {
    for (const origin of ["https://app.example.com", "https://a.partner.example", "https://a.b.partner.example"]) {
      for (const [path, status] of [
        ["/public", 200],
        ["/key", 401],
      ] as const) {
        const answer = await send(path, { headers: { origin } });
        expect(answer.status).toBe(status);
        expect(answer.headers.get("access-control-allow-origin")).toBe(origin);
        expect(answer.headers.get("access-control-allow-credentials")).toBe("true");
        expect(answer.headers.get("vary")?.toLowerCase()).toContain("origin");
      }
    }
  });

  it("G2: ip-filter judges CF-Connecting-IP alone: forwarded claims, lists, padded, zoned and mapped spellings pass nothing extra", async () => {
    const caseTag = tag("G2");
    const statusFrom = async (address: string, headers: Record<string, string> = {}) =>
      (await send("/edge/office", { headers: { "cf-connecting-ip": address, ...headers }, tag: caseTag })).status;
    const outcomes = {
      "in the office": await statusFrom("203.0.113.5"),
      "office IPv6": await statusFrom("2001:db8::1"),
      "mapped office address": await statusFrom("::ffff:203.0.113.5"),
      "denied inside the office": await statusFrom("203.0.113.66"),
      "denied, mapped": await statusFrom("::ffff:203.0.113.66"),
      "denied, mapped in hex": await statusFrom("::ffff:cb00:7142"),
      outside: await statusFrom("198.51.100.1"),
      "outside, claiming the office": await statusFrom("198.51.100.1", {
        "x-forwarded-for": "203.0.113.5",
        "x-real-ip": "203.0.113.5",
        "true-client-ip": "203.0.113.5",
      }),
      "a list": await statusFrom("198.51.100.1, 203.0.113.5"),
      "leading zeros": await statusFrom("203.000.113.005"),
      "short form": await statusFrom("203.113.5"),
      brackets: await statusFrom("[2001:db8::1]"),
      "zone id": await statusFrom("2001:db8::1%eth0"),
      "not an address": await statusFrom("office"),
      "neighbouring IPv6": await statusFrom("2001:db9::1"),
    };
    expect(outcomes).toEqual({
      "in the office": 200,
      "office IPv6": 200,
      "mapped office address": 200,
      "denied inside the office": 403,
      "denied, mapped": 403,
      "denied, mapped in hex": 403,
      outside: 403,
      "outside, claiming the office": 403,
      "a list": 403,
      "leading zeros": 403,
      "short form": 403,
      brackets: 403,
      "zone id": 403,
      "not an address": 403,
      "neighbouring IPv6": 403,
    });
    expect(await upstreamSaw(caseTag)).toHaveLength(3);
    expect(expectProblem(await send("/edge/office", { headers: { "cf-connecting-ip": "198.51.100.1" } }), 403).detail).toBe(
      "Only the office network may call this.",
    );
  });

  it("G3: size-limit refuses a body over its limit with 413, by Content-Length or while it streams; the upstream never sees it", async () => {
    const caseTag = tag("G3");
    const octets = (body: BodyInit) => ({ method: "POST", body, headers: { "content-type": "application/octet-stream" }, tag: caseTag });
    const stream = (bytes: number) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let sent = 0; sent < bytes; sent += 256) controller.enqueue(new Uint8Array(Math.min(256, bytes - sent)));
          controller.close();
        },
      });
    expectProblem(await send("/edge/upload", octets(new Uint8Array(1025))), 413);
    expectProblem(await send("/edge/upload", { ...octets(stream(4096)), duplex: "half" } as RequestInit), 413);
    expect(await upstreamSaw(caseTag)).toHaveLength(0);
    expect((await send("/edge/upload", octets(new Uint8Array(1024)))).status).toBe(200);
    expect((await send("/edge/upload", { ...octets(stream(1024)), duplex: "half" } as RequestInit)).status).toBe(200);
    expect((await upstreamSaw(caseTag)).map((record) => record.bodyLength)).toEqual([1024, 1024]);
  });
});
