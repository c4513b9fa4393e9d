import fc from "fast-check";
import { describe, expect, it } from "vitest";
import gateway from "../../../test/.generated/edge/app.ts";
import { arrivals } from "../../../test/fixtures/gateways/edge/policies/count-arrivals.ts";
import { call, problemOf } from "../../../test/support/call.ts";
import { clientAddress, inRange, parseAddress, parseRange } from "../../runtime/client-address.ts";
import { createContext } from "../../runtime/context.ts";
import { GatewayError } from "../../runtime/errors.ts";
import { hooksOf } from "../../../test/support/hooks.ts";
import ipFilter from "./index.ts";
import { CIDR_PATTERN } from "./options.ts";

const office = (headers: Record<string, string>) => call(gateway, "/office", { headers });
const blocklist = (headers: Record<string, string>) => call(gateway, "/blocklist", { headers });

describe("ip-filter: allow and deny lists", () => {
  it("admits an address inside an allowed range, IPv4 and IPv6, and the upstream is called", async () => {
    const before = arrivals.get("getOffice") ?? 0;
    for (const address of ["203.0.113.7", "203.0.113.255", "2001:db8::1", "2001:DB8:ffff::42"]) {
      const response = await office({ "cf-connecting-ip": address });
      expect(response.status, address).toBe(200);
      expect(response.headers.get("x-upstream")).toBe("yes");
    }
    expect(arrivals.get("getOffice")).toBe(before + 4);
  });

  it("refuses an address outside the allow list with 403 problem+json and its message; the upstream is not called", async () => {
    const before = arrivals.get("getOffice") ?? 0;
    for (const address of ["203.0.114.1", "198.51.100.1", "2001:db9::1", "::1"]) {
      const response = await office({ "cf-connecting-ip": address });
      expect(response.status, address).toBe(403);
      expect(await problemOf(response)).toMatchObject({
        status: 403,
        title: "Forbidden",
        detail: "Only the office network may call this.",
        instance: "/office",
      });
    }
    expect(arrivals.get("getOffice") ?? 0).toBe(before);
  });

  it("lets deny win over allow", async () => {
    expect((await office({ "cf-connecting-ip": "203.0.113.66" })).status).toBe(403);
    expect((await office({ "cf-connecting-ip": "203.0.113.67" })).status).toBe(200);
  });

  it("reads an IPv4-mapped IPv6 address as its IPv4 address, in either spelling", async () => {
    expect((await office({ "cf-connecting-ip": "::ffff:203.0.113.7" })).status).toBe(200);
    expect((await office({ "cf-connecting-ip": "::ffff:cb00:7107" })).status).toBe(200);
    expect((await office({ "cf-connecting-ip": "::ffff:203.0.113.66" })).status).toBe(403);
  });

  it("never lets X-Forwarded-For, X-Real-IP or True-Client-IP change the decision", async () => {
    const spoofs = { "x-forwarded-for": "203.0.113.7", "x-real-ip": "203.0.113.7", "true-client-ip": "203.0.113.7", forwarded: "for=203.0.113.7" };
    expect((await office({ ...spoofs, "cf-connecting-ip": "198.51.100.1" })).status).toBe(403);
    expect((await office({ "x-forwarded-for": "198.51.100.1", "x-real-ip": "198.51.100.1", "cf-connecting-ip": "203.0.113.7" })).status).toBe(200);
    expect((await blocklist({ "x-forwarded-for": "203.0.113.7", "cf-connecting-ip": "198.51.100.9" })).status).toBe(403);
  });

  it("refuses a request without a usable address when there is an allow list", async () => {
    expect((await office({ "x-forwarded-for": "203.0.113.7" })).status).toBe(403);
    expect((await office({ "cf-connecting-ip": "not-an-address" })).status).toBe(403);
  });

  it("with only a deny list, refuses what it lists and admits the rest, also a request without an address", async () => {
    expect((await blocklist({ "cf-connecting-ip": "198.51.100.200" })).status).toBe(403);
    expect((await blocklist({ "cf-connecting-ip": "2001:db8:bad:1::5" })).status).toBe(403);
    expect((await blocklist({ "cf-connecting-ip": "2001:db8:bae::5" })).status).toBe(200);
    expect((await blocklist({ "cf-connecting-ip": "203.0.113.7" })).status).toBe(200);
    const problem = await problemOf(await blocklist({ "cf-connecting-ip": "198.51.100.1" }));
    expect(problem.detail).toBe("Requests from this address are not allowed.");
    expect((await blocklist({})).status).toBe(200);
  });
});

describe("ip-filter: a range it cannot read", () => {
  it("refuses every request rather than guess, when options did not come through the build", async () => {
    const ctx = createContext({ route: { operationId: "x", method: "GET", path: "/x" }, params: {}, env: {}, requestId: "r", waitUntil: () => {} });
    const request = new Request("https://gateway.example/x", { headers: { "cf-connecting-ip": "203.0.113.7" } });
    const settings = { deny: ["203.0.113.0/33"], message: "no" };
    const outcome = await Promise.resolve()
      .then(() => hooksOf(ipFilter, settings).inbound!(request, ctx))
      .catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(GatewayError);
    expect((outcome as GatewayError).kind.status).toBe(403);
  });
});

describe("clientAddress", () => {
  it("is CF-Connecting-IP and nothing a client writes", () => {
    const request = new Request("https://gateway.example/", {
      headers: { "cf-connecting-ip": "203.0.113.7", "x-forwarded-for": "6.6.6.6", "x-real-ip": "6.6.6.6", "true-client-ip": "6.6.6.6" },
    });
    expect(clientAddress(request)).toBe("203.0.113.7");
    expect(clientAddress(new Request("https://gateway.example/", { headers: { "x-forwarded-for": "6.6.6.6" } }))).toBeUndefined();
  });
});

describe("address and range parsing", () => {
  const v4 = (text: string) => parseAddress(text)?.value;

  it("reads IPv6 in its full, compressed and IPv4-tailed forms as the same address", () => {
    const full = parseAddress("2001:0db8:0000:0000:0000:0000:0000:0001");
    expect(parseAddress("2001:db8::1")).toEqual(full);
    expect(parseAddress("2001:DB8:0:0:0::1")).toEqual(full);
    expect(parseAddress("::")).toEqual({ family: 6, value: 0n });
    expect(parseAddress("1::")).toEqual({ family: 6, value: 1n << 112n });
    expect(parseAddress("64:ff9b::192.0.2.33")).toEqual({ family: 6, value: (0x64n << 112n) | (0xff9bn << 96n) | 0xc0000221n });
    expect(parseAddress("::ffff:192.0.2.33")).toEqual({ family: 4, value: 0xc0000221n });
    expect(v4("192.0.2.33")).toBe(0xc0000221n);
  });

  it("refuses what is not exactly an address: leading zeros, short forms, zones, extra groups", () => {
    for (const text of [
      "010.0.0.1",
      "10.1",
      "1.2.3.256",
      "1.2.3.4.5",
      "",
      " 1.2.3.4",
      "1::2::3",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7::8",
      "fe80::1%eth0",
      "12345::",
      ":1:2:3:4:5:6:7",
      "::ffff:1.2.3",
      "1.2.3.4::",
      "0x7f.0.0.1",
    ]) {
      expect(parseAddress(text), text).toBeUndefined();
    }
  });

  it("matches ranges by prefix, a bare address as /32 or /128, host bits ignored", () => {
    const address = parseAddress("10.1.2.3")!;
    expect(inRange(address, parseRange("10.0.0.0/8")!)).toBe(true);
    expect(inRange(address, parseRange("10.1.2.3")!)).toBe(true);
    expect(inRange(address, parseRange("10.1.2.4")!)).toBe(false);
    expect(inRange(address, parseRange("10.9.9.9/8")!)).toBe(true);
    expect(inRange(address, parseRange("0.0.0.0/0")!)).toBe(true);
    expect(inRange(address, parseRange("::/0")!)).toBe(false);
    expect(inRange(parseAddress("2001:db8::1")!, parseRange("::/0")!)).toBe(true);
    expect(inRange(address, parseRange("::ffff:10.0.0.0/104")!)).toBe(true);
  });

  const hextet = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
  const octet = fc.integer({ min: 0, max: 255 }).map(String);
  const ipv4 = fc.tuple(octet, octet, octet, octet).map((parts) => parts.join("."));
  const ipv6 = fc
    .tuple(fc.array(hextet, { minLength: 8, maxLength: 8 }), fc.nat({ max: 8 }), fc.nat({ max: 8 }), fc.boolean())
    .map(([groups, from, length, tailV4]) => {
      const parts = tailV4 ? [...groups.slice(0, 6), "1.2.3.4"] : groups;
      const end = Math.min(parts.length, from + length);
      // Compress a run of groups into "::" (a run of none leaves the full form).
      return length === 0 || from >= end ? parts.join(":") : `${parts.slice(0, from).join(":")}::${parts.slice(end).join(":")}`;
    });
  const prefix = fc.option(
    fc.integer({ min: 0, max: 140 }).map((n) => `/${n}`),
    { nil: "" },
  );
  const noise = fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEF:./%xg "), maxLength: 45 });
  const candidates = fc.oneof(
    fc.tuple(ipv4, prefix).map(([a, p]) => a + p),
    fc.tuple(ipv6, prefix).map(([a, p]) => a + p),
    noise,
  );

  it("refuses at build time exactly the ranges the runtime cannot read (20,000 cases)", () => {
    const pattern = new RegExp(CIDR_PATTERN, "u");
    fc.assert(
      fc.property(candidates, (text) => {
        expect(pattern.test(text), text).toBe(parseRange(text) !== undefined);
      }),
      { numRuns: 20_000 },
    );
  });

  it("finds every generated address in its own /n and not in the neighbouring range", () => {
    fc.assert(
      fc.property(ipv6, fc.integer({ min: 1, max: 128 }), (text, bits) => {
        const address = parseAddress(text)!;
        if (address.family === 4) return;
        const own = parseRange(`${text}/${bits}`)!;
        expect(inRange(address, own)).toBe(true);
        const flipped = { ...address, value: address.value ^ (1n << BigInt(128 - bits)) };
        expect(inRange(flipped, own)).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });
});
