/**
 * D. Proxying, framing on the wire (P1, P2): requests written byte by byte on
 * a socket, as fetch() never would. Hop-by-hop fields reach neither side,
 * and no framing trick hides a second request the upstream would run.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { headerOf, suite, tag, upstreamSaw, upstreamSawAll } from "./support/gateway.ts";
import { head, rawExchange } from "./support/raw-http.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const { host } = new URL(suite.origin);
/** A whole request for the attacker to hide in a body: it must never reach the upstream. */
const hidden = (marker: string) => `GET /v1/echo/${marker} HTTP/1.1\r\nHost: ${host}\r\nx-case: ${marker}\r\n\r\n`;

describe("D. Proxying: framing", () => {
  it("P1: hop-by-hop fields, and the fields Connection names, reach neither the upstream nor the client", async () => {
    const caseTag = tag("P1");
    const { statuses, text } = await rawExchange(
      head("GET /v1/public HTTP/1.1", [
        `x-case: ${caseTag}`,
        "Connection: close, X-Foo",
        "X-Foo: named by Connection",
        "Keep-Alive: timeout=5",
        "TE: trailers",
        "Upgrade: h2c",
        "Proxy-Authorization: Basic dXNlcjpwYXNz",
        "Proxy-Connection: keep-alive",
        "Trailer: X-Checksum",
        "X-Kept: yes",
      ]),
    );
    expect(statuses).toEqual([200]);
    const [seen] = await upstreamSaw(caseTag);
    for (const name of ["x-foo", "keep-alive", "te", "upgrade", "proxy-authorization", "proxy-connection", "trailer"])
      expect(headerOf(seen, name), name).toBeUndefined();
    expect(headerOf(seen, "x-kept")).toBe("yes");
    // The upstream answers with Connection: keep-alive, x-upstream-hop and the fields it names.
    const answerHead = text.slice(0, text.indexOf("\r\n\r\n")).toLowerCase();
    for (const name of ["x-upstream-hop", "keep-alive", "proxy-authenticate"]) expect(answerHead).not.toContain(`\r\n${name}:`);
  });

  it("P2: Content-Length beside Transfer-Encoding, plain or obfuscated, never smuggles a second request", async () => {
    const chunkedThenHidden = (marker: string) => `0\r\n\r\n${hidden(marker)}`;
    const variants: Record<string, string> = {
      "CL and TE": "Transfer-Encoding: chunked",
      "TE in capitals": "Transfer-Encoding: CHUNKED",
      "TE after a tab": "Transfer-Encoding:\tchunked",
      "TE with a space before the colon": "Transfer-Encoding : chunked",
      "TE listing two codings": "Transfer-Encoding: identity, chunked",
      "TE not ending in chunked": "Transfer-Encoding: chunked, identity",
      "TE x-chunked": "Transfer-Encoding: xchunked",
      "TE twice": "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity",
      "TE folded": "Transfer-Encoding:\r\n chunked",
      "TE with a vertical tab": "Transfer-Encoding:\x0bchunked",
    };
    for (const [name, te] of Object.entries(variants)) {
      const marker = tag("P2-smuggled");
      const body = chunkedThenHidden(marker);
      const request = head("POST /v1/echo/front HTTP/1.1", [`x-case: ${tag("P2")}`, "Content-Type: text/plain", `Content-Length: ${body.length}`, te]);
      const { statuses } = await rawExchange(`${request}${body}`);
      expect(statuses.length, `${name}: ${statuses}`).toBeLessThanOrEqual(1);
      expect(
        statuses.every((status) => status < 500),
        `${name}: ${statuses}`,
      ).toBe(true);
      expect(await upstreamSaw(marker), name).toEqual([]);
    }
    expect((await upstreamSawAll()).filter((record) => record.target.includes("smuggled"))).toEqual([]);
  });

  it("P2: chunked bodies with chunk extensions or bad sizes are framed once; the upstream gets exactly the bytes sent", async () => {
    const caseTag = tag("P2");
    const chunked = "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
    const request = head("POST /v1/echo/chunks HTTP/1.1", [
      `x-case: ${caseTag}`,
      "Content-Type: text/plain",
      "Transfer-Encoding: chunked",
      "Connection: close",
    ]);
    expect((await rawExchange(`${request}${chunked}`)).statuses).toEqual([200]);
    const [seen] = await upstreamSaw(caseTag);
    expect(seen.bodySha256).toBe(sha256("hello world"));
    for (const size of ["-1", "0x5", "fffffffffffffffff", "5 5"]) {
      const marker = tag("P2-smuggled");
      const bad = head("POST /v1/echo/bad-size HTTP/1.1", [`x-case: ${tag("P2")}`, "Transfer-Encoding: chunked"]);
      const { statuses } = await rawExchange(`${bad}${size}\r\nhello\r\n0\r\n\r\n${hidden(marker)}`);
      expect(statuses.length, size).toBeLessThanOrEqual(1);
      expect(await upstreamSaw(marker), size).toEqual([]);
    }
  });

  it("P2: a chunked body is a body whatever else the head says: checked where one is taken, never passed on where none is", async () => {
    const chunks = (text: string) => `${text.length.toString(16)}\r\n${text}\r\n0\r\n\r\n`;
    const bad = tag("P2");
    const checked = await rawExchange(
      `${head("POST /v1/users HTTP/1.1", [`x-case: ${bad}`, "Content-Type: application/json", "Transfer-Encoding: chunked", "Connection: close"])}${chunks("{not json")}`,
    );
    expect(checked.statuses).toEqual([400]);
    const none = tag("P2");
    const dropped = await rawExchange(
      `${head("GET /v1/public HTTP/1.1", [`x-case: ${none}`, "Content-Type: text/plain", "Transfer-Encoding: chunked", "Connection: close"])}${chunks("hidden")}`,
    );
    expect(dropped.statuses).toEqual([200]);
    expect((await upstreamSaw(none)).map((record) => record.bodyLength)).toEqual([0]);
    const zero = tag("P2");
    const claimed = await rawExchange(
      `${head("POST /v1/users HTTP/1.1", [`x-case: ${zero}`, "Content-Type: application/json", "Content-Length: 0", "Transfer-Encoding: chunked", "Connection: close"])}${chunks("{not json")}`,
    );
    expect(claimed.statuses.every((status) => status === 400)).toBe(true);
    for (const caseTag of [bad, zero]) expect(await upstreamSaw(caseTag)).toEqual([]);
  });

  it("P2: a Content-Length shorter than the body frames the body it says; the rest is no request the upstream runs", async () => {
    const caseTag = tag("P2");
    const request = head("POST /v1/echo/short HTTP/1.1", [`x-case: ${caseTag}`, "Content-Type: text/plain", "Content-Length: 5"]);
    const { statuses } = await rawExchange(`${request}helloGARBAGE / HTTP/1.1\r\n\r\n`);
    // The server may answer the framed request and refuse the rest, or refuse the connection as a whole.
    expect([[200, 400], [400]]).toContainEqual(statuses);
    const seen = await upstreamSaw(caseTag);
    expect(seen.map((record) => [record.bodyLength, record.bodySha256])).toEqual(statuses[0] === 200 ? [[5, sha256("hello")]] : []);
  });

  it("P2: a Content-Length longer than the body never lets a cut body pass as whole", async () => {
    const caseTag = tag("P2");
    const request = head("POST /v1/echo/long HTTP/1.1", [`x-case: ${caseTag}`, "Content-Type: text/plain", "Content-Length: 100"]);
    // The server waits for the rest of the body, which never comes.
    await rawExchange(`${request}only ten b`, { firstByteMs: 1500 });
    for (const record of await upstreamSaw(caseTag)) expect(record.bodySha256 === "" || record.bodyLength === 100).toBe(true);
  });
});
