/**
 * C. Validation of JSON and form bodies (V1–V5): what breaks the schema,
 * assigns what it must not, or is no valid JSON at all is refused with a 4xx
 * problem that names the place, never a 500, and never reaches the upstream.
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { expectProblem, send, suite, tag, upstreamSaw } from "./support/gateway.ts";
import { head, rawExchange } from "./support/raw-http.ts";

const json = (body: string, headers: Record<string, string> = {}) => ({ method: "POST", body, headers: { "content-type": "application/json", ...headers } });
const form = (body: string) => ({ method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");

/** Sends each body, expects the status for all, and no upstream hit; returns the problems. */
async function expectAllRefused(id: string, path: string, status: number, requests: Record<string, RequestInit>) {
  const caseTag = tag(id);
  const problems: Record<string, Record<string, unknown>> = {};
  for (const [name, init] of Object.entries(requests)) {
    const answer = await send(path, { ...init, tag: caseTag });
    expect(answer.status, `${name}: ${answer.text.slice(0, 300)}`).toBe(status);
    problems[name] = expectProblem(answer, status);
  }
  expect(await upstreamSaw(caseTag)).toHaveLength(0);
  return problems;
}

describe("C. Validation: bodies", () => {
  it("V1: a body breaking type, required, enum, format or pattern → 400 naming each place, 0 upstream hits", async () => {
    const problems = await expectAllRefused("V1", "/users", 400, {
      type: json('{"name":"a","age":"12"}'),
      required: json('{"name":"a"}'),
      enum: json('{"name":"a","age":1,"role":"owner"}'),
      format: json('{"name":"a","age":1,"email":"not-an-email"}'),
      pattern: json('{"name":"a","age":1,"address":{"zip":"1234x"}}'),
      "too long": json(`{"name":"${"n".repeat(51)}","age":1}`),
      "form type": form("name=a&age=twelve"),
    });
    expect(problems.type.errors).toContainEqual(expect.objectContaining({ in: "body", pointer: "/age" }));
    expect(problems.enum.errors).toContainEqual(expect.objectContaining({ in: "body", pointer: "/role" }));
    expect(problems.format.errors).toContainEqual(expect.objectContaining({ in: "body", pointer: "/email" }));
    expect(problems.pattern.errors).toContainEqual(expect.objectContaining({ in: "body", pointer: "/address/zip" }));
  });

  it("V2: mass assignment (an extra isAdmin, at the top, nested, or as form fields) → 400 where additionalProperties is false", async () => {
    await expectAllRefused("V2", "/users", 400, {
      top: json('{"name":"a","age":1,"isAdmin":true}'),
      nested: json('{"name":"a","age":1,"address":{"city":"Cork","owner":"admin"}}'),
      __proto__: json('{"name":"a","age":1,"__proto__":{"isAdmin":true}}'),
      "constructor.prototype": json('{"name":"a","age":1,"constructor":{"prototype":{"isAdmin":true}}}'),
      "form field": form("name=a&age=1&isAdmin=true"),
      "form brackets": form("name=a&age=1&address[owner]=admin"),
      "form __proto__": form("name=a&age=1&__proto__[isAdmin]=true"),
      "form constructor.prototype": form("name=a&age=1&constructor[prototype][isAdmin]=true"),
    });
    // Behind a key, an anonymous caller learns nothing of the schema: 401 before any 400.
    await expectAllRefused("V2", "/accounts", 401, { anonymous: json('{"name":"a","age":1,"isAdmin":true}') });
    expect((await send("/accounts", { ...json('{"name":"a","age":1,"isAdmin":true}', { "x-api-key": suite.consumers.alice }) })).status).toBe(400);
  });

  it("V2: __proto__ and constructor.prototype sent where the schema is open go upstream byte for byte, and pollute nothing", async () => {
    const caseTag = tag("V2");
    const bodies = ['{"__proto__":{"role":"admin"},"constructor":{"prototype":{"role":"admin"}}}'];
    expect((await send("/notes", { ...json(bodies[0]), tag: caseTag })).status).toBe(200);
    const formBody = "__proto__[role]=admin&constructor[prototype][role]=admin&prototype[role]=admin";
    expect((await send("/notes", { ...form(formBody), tag: caseTag })).status).toBe(200);
    expect((await upstreamSaw(caseTag)).map((record) => record.bodySha256)).toEqual([sha256(bodies[0]), sha256(formBody)]);
    // Had either reached Object.prototype, `role` would now be found on every object, and {} would pass `required: [role]`.
    await expectAllRefused("V2", "/roles", 400, { empty: json("{}"), "inherited only": json('{"constructor":{"prototype":{"role":"x"}}}') });
  });

  it("V3: a body over maxBodyBytes → 413, with Content-Length before reading and chunked at the first byte too many", async () => {
    const big = JSON.stringify({ pad: "x".repeat(2048) });
    const chunked = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode(i === 0 ? '{"pad":"' : "x".repeat(512)));
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
        },
      });
    await expectAllRefused("V3", "/small", 413, {
      "with Content-Length": json(big),
      chunked: { method: "POST", body: chunked(), headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit,
    });
    expect((await send("/small", json('{"pad":"small"}'))).status).toBe(200);
  });

  it("V4: text/plain, no type, charsets other than UTF-8, look-alike or malformed types on a JSON operation → 415", async () => {
    const body = '{"name":"a","age":1}';
    const typed = (type: string) => ({ method: "POST", body, headers: { "content-type": type } });
    await expectAllRefused("V4", "/users", 415, {
      "text/plain": typed("text/plain"),
      "no type": { method: "POST", body: new TextEncoder().encode(body) },
      "utf-7": typed("application/json;charset=utf-7"),
      "utf-16": typed("application/json; charset=utf-16"),
      latin1: typed("application/json; charset=iso-8859-1"),
      "charset twice": typed("application/json;charset=utf-8;charset=utf-7"),
      "space around =": typed("application/json; charset = utf-8"),
      "two types": typed("application/json, text/plain"),
      jsonp: typed("application/jsonp"),
      "vendor type": typed("application/vnd.evil+json"),
      multipart: typed("multipart/form-data; boundary=x"),
      "no subtype": typed("application/"),
    });
    for (const type of ["application/json", "APPLICATION/JSON", "application/json; charset=UTF-8", "application/json;charset=utf8"]) {
      expect((await send("/users", typed(type))).status, type).toBe(200);
    }
  });

  it("V4: a body with a Content-Encoding the upstream would decode first → 415: it is checked as sent", async () => {
    const encoded = (body: Uint8Array | string, coding: string) => ({
      method: "POST",
      body,
      headers: { "content-type": "application/json", "content-encoding": coding },
    });
    await expectAllRefused("V4", "/users", 415, {
      "gzip hiding an isAdmin": encoded(gzipSync('{"name":"a","age":1,"isAdmin":true}'), "gzip"),
      "valid JSON labelled gzip": encoded('{"name":"a","age":1}', "gzip"),
      "valid JSON labelled br": encoded('{"name":"a","age":1}', "br"),
      "valid JSON labelled deflate, identity": encoded('{"name":"a","age":1}', "deflate, identity"),
    });
    expect((await send("/users", encoded('{"name":"a","age":1}', "identity"))).status).toBe(200);
  });

  it("V5: malformed JSON, duplicate or escaped-duplicate keys, lone surrogates, ±1e400, NaN, 10k-deep nesting → 400, never 500", async () => {
    await expectAllRefused("V5", "/users", 400, {
      truncated: json('{"name":"a",'),
      "trailing comma": json('{"name":"a","age":1,}'),
      "single quotes": json("{'name':'a','age':1}"),
      "trailing data": json('{"name":"a","age":1} {"isAdmin":true}'),
      "duplicate key": json('{"name":"a","age":1,"age":200}'),
      "escaped duplicate key": json('{"name":"a","age":1,"\\u0061ge":200}'),
      "lone surrogate": json('{"name":"\\ud800","age":1}'),
      "lone low surrogate": json('{"name":"\\udc00x","age":1}'),
      "1e400": json('{"name":"a","age":1e400}'),
      "-1e400": json('{"name":"a","age":-1e400}'),
      NaN: json('{"name":"a","age":NaN}'),
      Infinity: json('{"name":"a","age":Infinity}'),
      "10k-deep": json(`{"name":"a","age":1,"tags":${"[".repeat(10_000)}${"]".repeat(10_000)}}`),
      "a second BOM": json('\ufeff\ufeff{"name":"a","age":1}'),
      empty: json(""),
    });
    await expectAllRefused("V5", "/notes", 400, { "10k-deep object": json(`${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`) });
  });

  it("V5: 50,000 keys are read within bounds: an open map takes them, a closed schema lists at most 20 problems", async () => {
    const keys = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(",")}}`;
    const map = await send("/counts", json(keys(50_000)));
    expect(map.status).toBe(200);
    const closed = await send("/users", json(keys(50_000)));
    const problem = expectProblem(closed, 400);
    expect((problem.errors as unknown[]).length).toBeLessThanOrEqual(20);
  });

  it("V5: form fields nested past 32 brackets or past 1,000 fields → 400, never 500", async () => {
    await expectAllRefused("V5", "/notes", 400, {
      "40 brackets": form(`a${"[a]".repeat(40)}=1`),
      "1,001 fields": form(Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join("&")),
      "index past 1,000": form("list[999999999]=1"),
    });
  });

  it("V5: Expect: 100-continue changes nothing: a bad body is still refused, a good one arrives whole", async () => {
    for (const [body, status] of [
      ['{"name":"a","age":1,"isAdmin":true}', 400],
      ['{"name":"a","age":1}', 200],
    ] as const) {
      const caseTag = tag("V5");
      const request = head("POST /v1/users HTTP/1.1", [
        `x-case: ${caseTag}`,
        "Content-Type: application/json",
        `Content-Length: ${body.length}`,
        "Expect: 100-continue",
        "Connection: close",
      ]);
      const { statuses } = await rawExchange(`${request}${body}`);
      expect(statuses.filter((code) => code !== 100)).toEqual([status]);
      const seen = await upstreamSaw(caseTag);
      expect(seen.map((record) => record.bodySha256)).toEqual(status === 200 ? [sha256(body)] : []);
    }
  });
});
