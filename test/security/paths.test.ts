/**
 * D. Proxying, paths (P4–P6): the router and the forwarder see one path, a
 * parameter is one segment of the upstream URL however it is encoded, and no
 * value can move the request to another host.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attackerSaw, headerOf, pool, send, suite, tag, upstreamSaw } from "./support/gateway.ts";
import { count } from "./support/profile.ts";
import { head, rawExchange } from "./support/raw-http.ts";

const attacker = `127.0.0.1:${suite.attackerPort}`;
const upstreamHost = `127.0.0.1:${suite.upstreamPort}`;
/** What the upstream may see of a request for /v1/files/{name}: its fixed prefix and exactly one segment. */
const ONE_FILE = /^\/v1\/files\/[^/?#]+$/;

describe("D. Proxying: paths", () => {
  it("P4: dot segments, encoded slashes, ..;, doubled and back slashes never reach the keyed route without its key", async () => {
    const tricks = [
      "/v1/files/%2e%2e/admin-area",
      "/v1/files/%2E./admin-area",
      "/v1/files/.%2e/admin-area",
      "/v1/files/..%2fadmin-area",
      "/v1/files/..%2Fadmin-area",
      "/v1/files/%2e%2e%2fadmin-area",
      "/v1/files/..;/admin-area",
      "/v1/public/..;/admin-area",
      "/v1/public/..%3B/admin-area",
      "//v1/admin-area",
      "/v1//admin-area",
      "/v1/files/..\\admin-area",
      "/v1/files\\..\\admin-area",
      "/v1/files/%252e%252e/admin-area",
      "/v1/files/%c0%ae%c0%ae/admin-area",
      "/v1/public%2f..%2fadmin-area",
      "/v1/./admin-area",
      "/v1/ADMIN-AREA",
      "/v1/admin-area;.css",
      "/v1/admin-area%00",
      "/v1/admin-area%2f",
      "/v1/admin-area/",
    ];
    const caseTag = tag("P4");
    const outcomes: Record<string, number> = {};
    for (const path of tricks) outcomes[path] = (await rawExchange(head(`GET ${path} HTTP/1.1`, [`x-case: ${caseTag}`, "Connection: close"]))).statuses[0];
    for (const [path, status] of Object.entries(outcomes)) expect([200, 400, 401, 404], `${path} → ${status}`).toContain(status);
    // Whatever was admitted went to an open operation, one segment under /v1/files/ or /public: never to /admin-area.
    for (const record of await upstreamSaw(caseTag)) expect(record.target).toMatch(/^(\/v1\/files\/[^/?#]+|\/public)$/);
  });

  it("P5: an encoded slash, a double-encoded dot and an encoded ? or # in a parameter stay one segment, encoded once", async () => {
    const caseTag = tag("P5");
    const values = ["..%2F..%2Fadmin", "%252e%252e%252fadmin", "a%3Fb%23c", "..%5C..%5Cadmin", "a%2Fb%3Fc%3Dd%26e", "%E2%80%AE", "x%20y+z"];
    for (const value of values) expect((await send(`/files/${value}`, { tag: caseTag })).status, value).toBe(200);
    const targets = (await upstreamSaw(caseTag)).map((record) => record.target);
    expect(targets).toEqual(values.map((value) => `/v1/files/${encodeURIComponent(decodeURIComponent(value))}`));
    for (const target of targets) expect(target).toMatch(ONE_FILE);
  });

  it(`P6: ${count(300, 10_000)} hostile and fuzzed parameter values never change the upstream host; the attacker's host hears nothing`, async () => {
    const hostile = [
      `@${attacker}`,
      `@${attacker}/x`,
      `//${attacker}`,
      `http://${attacker}/`,
      `\\\\${attacker}`,
      `..%2F..%2F..%2F@${attacker}`,
      "//169.254.169.254/latest/meta-data/",
      `%40${attacker}`,
      `%2F%2F${attacker}`,
      `${attacker}#`,
      `?@${attacker}`,
      `；＠${attacker}`,
      `\u2215\u2215${attacker}`,
      `\r\nHost: ${attacker}`,
    ];
    const specials = [
      "/",
      "\\",
      "@",
      ":",
      "?",
      "#",
      "%",
      ".",
      ";",
      "&",
      "=",
      "%2F",
      "%40",
      "%23",
      "%3F",
      "%25",
      "..",
      "//",
      "\u0000",
      "\u3002",
      "\uFF0F",
      "a",
      "1",
    ];
    const seed = 20261203;
    const fuzzed = fc.sample(fc.oneof(fc.string({ unit: fc.constantFrom(...specials), maxLength: 12 }), fc.webUrl(), fc.string({ unit: "grapheme-ascii" })), {
      numRuns: count(300, 10_000) - hostile.length,
      seed,
    });
    const values = [...hostile, ...fuzzed];
    const caseTag = tag("P6");
    const statuses = await pool(values.length, 16, async (i) => {
      const path = i % 2 === 0 ? "files" : "echo";
      return (await send(`/${path}/${encodeURIComponent(values[i])}`, { tag: caseTag })).status;
    });
    expect(
      statuses.filter((status) => status >= 500),
      `seed ${seed}`,
    ).toEqual([]);
    const seen = await upstreamSaw(caseTag);
    expect(seen).toHaveLength(statuses.filter((status) => status === 200).length);
    for (const record of seen) {
      expect(headerOf(record, "host")).toBe(upstreamHost);
      expect(record.target).toMatch(/^\/v1\/(files|items)\/[^/?#]+$/);
    }
    expect(await attackerSaw()).toEqual([]);
  });
});
