import { describe, expect, it, vi } from "vitest";
import gateway from "../.generated/validation/app.ts";
import { call, problemOf } from "../support/call.ts";
import { hits } from "../support/tokens.ts";

interface Violation {
  in: string;
  name?: string;
  pointer?: string;
  message: string;
}

let probes = 0;
async function send(path: string, init: RequestInit = {}) {
  const probe = `v${++probes}-${crypto.randomUUID()}`;
  const headers = new Headers(init.headers);
  headers.set("x-probe", probe);
  const response = await call(gateway, path, { ...init, headers });
  return { response, probe };
}

/** A refused request: the status, a problem body, no upstream hit; returns the problem. */
async function refusedProblem(status: number, path: string, init: RequestInit = {}): Promise<{ errors?: Violation[]; detail: string }> {
  const { response, probe } = await send(path, init);
  expect(response.status, `${init.method ?? "GET"} ${path}: ${await response.clone().text()}`).toBe(status);
  const body = (await problemOf(response)) as unknown as { errors?: Violation[]; detail: string };
  expect(await hits(probe)).toBe(0);
  return body;
}

/** A refused request, as refusedProblem; returns the violations listed. */
async function refused(status: number, path: string, init: RequestInit = {}): Promise<Violation[]> {
  return (await refusedProblem(status, path, init)).errors ?? [];
}

async function admitted(path: string, init: RequestInit = {}) {
  const { response, probe } = await send(path, init);
  expect(response.status, `${init.method ?? "GET"} ${path}: ${await response.clone().text()}`).toBe(200);
  expect(await hits(probe)).toBe(1);
  return (await response.json()) as { body: string; target: string; headers: Record<string, string> };
}

const json = (value: unknown, type = "application/json"): RequestInit => ({
  method: "POST",
  headers: { "content-type": type },
  body: typeof value === "string" ? value : JSON.stringify(value),
});

describe("V1–V2: JSON bodies against their schema", () => {
  it("passes a valid body through unchanged", async () => {
    const body = { name: "Ada", age: 36, email: "ada@example.com", role: "staff", friends: [{ name: "Charles", age: 44 }] };
    const echo = await admitted("/people", json(body));
    expect(JSON.parse(echo.body)).toEqual(body);
  });

  it("V1: lists every violation with in, pointer and message (type, required, enum, format, nested $ref)", async () => {
    const errors = await refused(400, "/people", json({ age: "old", email: "not-an-email", role: "boss", friends: [{ name: "", age: -1 }] }));
    const pointers = errors.map((e) => e.pointer).sort();
    expect(pointers).toEqual(["/age", "/email", "/friends/0/age", "/friends/0/name", "/name", "/role"]);
    for (const error of errors) {
      expect(error.in).toBe("body");
      expect(error.message.length).toBeGreaterThan(3);
    }
  });

  it("V2: refuses mass assignment (an extra isAdmin under additionalProperties: false)", async () => {
    const errors = await refused(400, "/people", json({ name: "Eve", age: 30, isAdmin: true }));
    expect(errors).toEqual([{ in: "body", pointer: "/isAdmin", message: "is not allowed here" }]);
  });

  it("bounds the list at 20 violations", async () => {
    const friends = Array.from({ length: 50 }, () => ({ age: "x" }));
    const body = await refusedProblem(400, "/people", json({ name: "A", age: 1, friends }));
    expect(body.errors?.length).toBe(20);
    expect(body.detail).toContain("first 20");
  });
});

describe("V3–V5: size, media type and hostile JSON", () => {
  it("V3: 413 before reading when Content-Length is over the limit", async () => {
    await refused(413, "/small", { method: "POST", headers: { "content-type": "application/json", "content-length": "5000" }, body: "x".repeat(5000) });
  });

  it("V3: 413 for a chunked body after limit+1 bytes, with the stream cancelled", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (pulled > 10_000) controller.close();
        else controller.enqueue(new TextEncoder().encode(" ".repeat(100)));
      },
    });
    await refused(413, "/small", { method: "POST", headers: { "content-type": "application/json" }, body: stream });
    expect(pulled).toBeLessThan(50);
    const exact = " ".repeat(1022) + "{}";
    await admitted("/small", json(exact));
  });

  it("V4: text/plain, no content type, or charset=utf-7 on a JSON operation is 415", async () => {
    await refused(415, "/people", { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
    await refused(415, "/people", { method: "POST", body: new TextEncoder().encode('{"name":"a","age":1}') });
    await refused(415, "/people", json({ name: "a", age: 1 }, "application/json;charset=utf-7"));
    await admitted("/people", json({ name: "a", age: 1 }, "application/json; charset=UTF-8"));
    await admitted("/people", json({ name: "a", age: 1 }, 'application/json ;charset="utf-8";'));
  });

  it("V4: a Content-Type with a parameter twice or written loosely is 415, as two parsers could read it two ways", async () => {
    for (const type of [
      "application/json; charset=utf-8; charset=utf-16",
      "application/json; charset = utf-8",
      "application/json; charset=utf-8; Charset=utf-8",
      "application/json; charset",
      'application/json; charset="utf-8',
    ] as const) {
      const problem = await refusedProblem(415, "/people", json({ name: "a", age: 1 }, type));
      expect(problem.detail).toContain("cannot be read");
    }
  });

  it("V4: a checked body with a Content-Encoding is 415, as the upstream would decode what was never checked", async () => {
    for (const coding of ["gzip", "br", "deflate, identity"]) {
      const problem = await refusedProblem(415, "/people", {
        ...json({ name: "a", age: 1 }),
        headers: { "content-type": "application/json", "content-encoding": coding },
      });
      expect(problem.detail).toContain(`Content-Encoding ${coding}`);
    }
    await admitted("/people", { ...json({ name: "a", age: 1 }), headers: { "content-type": "application/json", "content-encoding": "identity" } });
  });

  it("a body where none is declared is 415; a missing required body is 400", async () => {
    await refused(415, "/no-body", json({}));
    await admitted("/no-body", { method: "POST" });
    const errors = await refused(400, "/people", { method: "POST", headers: { "content-type": "application/json" } });
    expect(errors[0]).toMatchObject({ in: "body", message: "A request body is required." });
  });

  it("V5: malformed JSON, 10k-deep nesting, duplicate keys, lone surrogates and 1e400 are 400, never 500", async () => {
    const bodies = [
      "{",
      '{"name": "a", "age": 1,}',
      "[".repeat(10_000) + "]".repeat(10_000),
      '{"name":"a","age":1,"name":"b"}',
      '{"name":"\\ud800","age":1}',
      '{"name":"a","age":1e400}',
      "\u0000",
      "",
    ];
    // What each costs in CPU is measured in Node (test/node/v5-cpu.test.ts): workerd's clock stands still between I/O.
    for (const body of bodies) {
      const errors = await refused(400, "/people", json(body));
      expect(errors[0].in).toBe("body");
    }
  });
});

describe("V6: parameters by style and explode, strictly coerced", () => {
  const base = "/people/7?limit=10";

  it("reads and coerces every location and style", async () => {
    const where = encodeURIComponent(JSON.stringify({ city: "Paris" }));
    await admitted(`${base}&tags=a&tags=b&ids=1|2|3&filter[min]=1&filter[max]=9&where=${where}`, {
      headers: { "x-trace-id": "0b9b5f4e-3c8a-4c39-9d2f-1f6a2b7c8d9e", cookie: "session=abcd" },
    });
    await admitted("/points/.1,-2.5");
    await admitted("/points/.3.4");
  });

  it("refuses 1e3, 01, -0 and %00 where an integer is expected, naming the parameter", async () => {
    for (const id of ["1e3", "01", "-0", "%00", "1.0", "0x10"]) {
      const errors = await refused(400, `/people/${id}?limit=10`);
      expect(errors[0]).toMatchObject({ in: "path", name: "id" });
    }
    for (const limit of ["1e3", "01", "-0", "%00", "", "101"]) {
      const errors = await refused(400, `/people/7?limit=${limit}`);
      expect(errors[0]).toMatchObject({ in: "query", name: "limit" });
    }
  });

  it("refuses a missing required query, bad arrays in each style, and bad header, cookie and content parameters", async () => {
    expect((await refused(400, "/people/7"))[0]).toMatchObject({ in: "query", name: "limit" });
    expect((await refused(400, `${base}&tags=a&tags=b&tags=c&tags=d`))[0]).toMatchObject({ in: "query", name: "tags" });
    expect((await refused(400, `${base}&ids=1|x`))[0]).toMatchObject({ in: "query", name: "ids" });
    expect((await refused(400, `${base}&filter[min]=low`))[0]).toMatchObject({ in: "query", name: "filter" });
    expect((await refused(400, `${base}&filter[other]=1`))[0]).toMatchObject({ in: "query", name: "filter" });
    expect((await refused(400, base, { headers: { "x-trace-id": "nope" } }))[0]).toMatchObject({ in: "header", name: "X-Trace-Id" });
    expect((await refused(400, base, { headers: { cookie: "session=ab" } }))[0]).toMatchObject({ in: "cookie", name: "session" });
    expect((await refused(400, `${base}&where=${encodeURIComponent("{}")}`))[0]).toMatchObject({ in: "query", name: "where" });
    expect((await refused(400, `${base}&where=not-json`))[0]).toMatchObject({ in: "query", name: "where" });
    const twice = await refused(400, `${base}&where=${encodeURIComponent('{"city":"a","city":"b"}')}`);
    expect(twice).toEqual([{ in: "query", name: "where", message: 'Query parameter "where" is refused: the key "city" appears twice in one object.' }]);
    expect((await refused(400, `${base}&where=${encodeURIComponent('{"city":"\\ud800"}')}`))[0]).toMatchObject({ in: "query", name: "where" });
    expect((await refused(400, "/points/.1"))[0]).toMatchObject({ in: "path", name: "coords" });
  });

  it("refuses a declared cookie sent twice, as a query parameter sent twice, and leaves undeclared ones alone", async () => {
    for (const cookie of ["session=abcd; session=evil!", "session=evil!; session=abcd", "session=abcd;session=abcd"]) {
      const errors = await refused(400, base, { headers: { cookie } });
      expect(errors).toEqual([{ in: "cookie", name: "session", message: 'Cookie parameter "session" is given 2 times; it takes one value.' }]);
    }
    await admitted(base, { headers: { cookie: "session=abcd; theme=dark; theme=light" } });
  });

  it("refuses bad percent-encoding and encodings that are no UTF-8 in query and cookie parameters, naming them", async () => {
    for (const value of ["%zz", "%", "%c0%ae", "%ed%a0%80"]) {
      expect((await refused(400, `/people/7?limit=${value}`))[0], value).toMatchObject({
        in: "query",
        name: "limit",
        message: 'Query parameter "limit" has invalid percent-encoding.',
      });
      expect((await refused(400, base, { headers: { cookie: `session=${value}abc` } }))[0], value).toMatchObject({ in: "cookie", name: "session" });
    }
  });

  it("lists violations of several parameters at once", async () => {
    const errors = await refused(400, "/people/0?tags=a&tags=b&tags=c&tags=d");
    expect(errors.map((e) => `${e.in}:${e.name}`).sort()).toEqual(["path:id", "query:limit", "query:tags"]);
  });
});

describe("forms, multipart, text and opting out", () => {
  it("validates form fields coerced to their types", async () => {
    const form = (body: string): RequestInit => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    const echo = await admitted("/forms", form("name=Ada+L&count=2&tags=x&tags=y"));
    expect(echo.body).toBe("name=Ada+L&count=2&tags=x&tags=y");
    const errors = await refused(400, "/forms", form("name=Ada&count=zero"));
    expect(errors).toEqual([expect.objectContaining({ in: "body", pointer: "/count" })]);
    expect((await refused(400, "/forms", form("count=1")))[0]).toMatchObject({ pointer: "/name" });
  });

  it("checks multipart fields and the presence of files, and forwards the parts intact", async () => {
    const good = new FormData();
    good.set("title", "Scan");
    good.set("copies", "2");
    good.set("file", new File(["%PDF-1.7 ..."], "scan.pdf", { type: "application/pdf" }));
    const echo = await admitted("/uploads", { method: "POST", body: good });
    expect(echo.body).toContain("%PDF-1.7 ...");
    const noFile = new FormData();
    noFile.set("title", "Scan");
    expect((await refused(400, "/uploads", { method: "POST", body: noFile }))[0]).toMatchObject({ pointer: "/file" });
    const badField = new FormData();
    badField.set("title", "x".repeat(30));
    badField.set("copies", "two");
    badField.set("file", new File(["x"], "x.bin"));
    expect((await refused(400, "/uploads", { method: "POST", body: badField })).map((e) => e.pointer).sort()).toEqual(["/copies", "/title"]);
  });

  it("M1: form fields named after Object.prototype members are plain data: listed where the schema refuses them, passed on where it allows them", async () => {
    const form = (body: string): RequestInit => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(await refused(400, "/forms", form(`name=a&count=1&${name}=1`))).toEqual([{ in: "body", pointer: `/${name}`, message: "is not allowed here" }]);
    }
    const sent = "name=a&constructor=2&__proto__=x&toString=y&hasOwnProperty=z&__proto__=w";
    expect((await admitted("/forms/open", form(sent))).body).toBe(sent);
    expect(await refused(400, "/forms/open", form("name=a&constructor=two"))).toEqual([expect.objectContaining({ in: "body", pointer: "/constructor" })]);
    const parts = new FormData();
    parts.set("title", "Scan");
    parts.set("file", new File(["x"], "x.bin"));
    parts.set("toString", "1");
    parts.set("__proto__", "1");
    expect((await refused(400, "/uploads", { method: "POST", body: parts })).map((e) => e.pointer).sort()).toEqual(["/__proto__", "/toString"]);
  });

  it("reads nested form fields as Stripe's SDK sends them, and forwards the bytes as sent", async () => {
    const form = (body: string): RequestInit => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body });
    const sent =
      "email=a%40b.co&metadata[plan]=pro&address[city]=Cork&expand[0]=tax&balance=-5&line_items[0][price_data][product_data][name]=Tee&line_items[0][price_data][unit_amount]=2000&line_items[0][quantity]=1";
    expect((await admitted("/forms/customers", form(sent))).body).toBe(sent);
    const utf8 = { ...form("email=a%40b.co"), headers: { "content-type": "Application/X-WWW-Form-Urlencoded;charset=UTF8" } };
    expect((await admitted("/forms/customers", utf8)).body).toBe("email=a%40b.co");
    const latin1 = { ...form("email=a%40b.co"), headers: { "content-type": "application/x-www-form-urlencoded; charset=iso-8859-1" } };
    expect((await refusedProblem(415, "/forms/customers", latin1)).detail).toBe("The charset iso-8859-1 is not accepted: send UTF-8.");
    const asJson = { ...form("{}"), headers: { "content-type": "application/json" } };
    expect((await refusedProblem(415, "/forms/customers", asJson)).detail).toBe(
      "application/json is not accepted here: this operation takes application/x-www-form-urlencoded.",
    );
    const encoded = "metadata%5Bplan%5D=pro&address%5Bcity%5D=Cork&expand%5B0%5D=tax";
    expect((await admitted("/forms/customers", form(encoded))).body).toBe(encoded);
    const errors = await refused(
      400,
      "/forms/customers",
      form("address[town]=Cork&line_items[0][quantity]=one&line_items[1][price_data][product_data][nom]=x"),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        { in: "body", pointer: "/address/town", message: "is not allowed here" },
        { in: "body", pointer: "/line_items/0/quantity", message: "must be integer" },
        { in: "body", pointer: "/line_items/1/price_data/product_data/name", message: "is required" },
      ]),
    );
  });

  it("bounds form bodies by the operation's validate.form limits, with a pointer, never a 500", async () => {
    const form = (body: string): RequestInit => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    await admitted("/forms/bounded", form("a[b][c]=1&d[3]=x"));
    expect(await refused(400, "/forms/bounded", form("a[b][c][d]=1"))).toEqual([{ in: "body", pointer: "/a", message: "nests deeper than 2 levels" }]);
    expect(await refused(400, "/forms/bounded", form("a[999999999]=1"))).toEqual([
      { in: "body", pointer: "/a", message: "has an array index over the limit of 3 (999999999)" },
    ]);
    expect(await refused(400, "/forms/bounded", form("a=1&b=1&c=1&d=1&e=1&f=1"))).toEqual([
      { in: "body", pointer: "", message: "The body has more than 5 fields." },
    ]);
    expect(await refused(400, "/forms/customers", form("email=%E0%A4%A"))).toEqual([
      { in: "body", pointer: "/email", message: "has invalid percent-encoding" },
    ]);
    expect(Object.prototype).not.toHaveProperty("polluted");
    await admitted("/forms/bounded", form("__proto__[polluted]=1&constructor[prototype][polluted]=1"));
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  it("M5: a text part where a file is declared is a violation, and so is a file where a value is", async () => {
    const textForFile = new FormData();
    textForFile.set("title", "Scan");
    textForFile.set("file", "%PDF-1.7 pretending");
    expect(await refused(400, "/uploads", { method: "POST", body: textForFile })).toEqual([{ in: "body", pointer: "/file", message: "must be a file" }]);
    const fileForText = new FormData();
    fileForText.set("title", new File(["Scan"], "title.txt"));
    fileForText.set("file", new File(["x"], "x.bin"));
    expect(await refused(400, "/uploads", { method: "POST", body: fileForText })).toEqual([
      { in: "body", pointer: "/title", message: "must be a value, not a file" },
    ]);
  });

  it("M5: forwards the multipart body that was checked, so a part after the closing delimiter never reaches the upstream", async () => {
    const part = (headers: string, value: string) => `--AAA\r\n${headers}\r\n\r\n${value}\r\n`;
    const body =
      part('Content-Disposition: form-data; name="title"', "Scan") +
      part('Content-Disposition: form-data; name="file"; filename="scan.pdf"\r\nContent-Type: application/pdf', "%PDF-1.7 ...") +
      "--AAA--\r\n" +
      part('Content-Disposition: form-data; name="isAdmin"', "true") +
      "--AAA--\r\n";
    const echo = await admitted("/uploads", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=AAA" }, body });
    expect(echo.body).toContain("Scan");
    expect(echo.body).toContain("%PDF-1.7 ...");
    expect(echo.body).not.toContain("isAdmin");
    const boundary = /boundary=(.+)$/.exec(echo.headers["content-type"])?.[1];
    expect(boundary).toBeDefined();
    expect(boundary).not.toBe("AAA");
    expect(echo.body.startsWith(`--${boundary}`)).toBe(true);
  });

  it("M5: a multipart Content-Type with two boundaries is 415", async () => {
    const body = '--AAA\r\nContent-Disposition: form-data; name="title"\r\n\r\nScan\r\n--AAA--\r\n';
    await refused(415, "/uploads", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=AAA; boundary=BBB" }, body });
    await refused(415, "/uploads", { method: "POST", headers: { "content-type": "multipart/form-data; boundary = AAA" }, body });
  });

  it("validates text bodies, and x-portico validate: false lets anything through", async () => {
    await admitted("/notes", { method: "POST", headers: { "content-type": "text/plain" }, body: "short" });
    await refused(400, "/notes", { method: "POST", headers: { "content-type": "text/plain" }, body: "far too long for this" });
    await admitted("/unchecked", json({ anything: true }));
    await admitted("/unchecked", { method: "POST", headers: { "content-type": "text/csv" }, body: "a,b" });
  });
});

describe("readOnly and writeOnly, by direction", () => {
  it("a request need not carry a readOnly property that `required` lists; a writeOnly one it must", async () => {
    await admitted("/accounts", json({ name: "Ada", password: "correct horse" }));
    expect(await refused(400, "/accounts", json({ name: "Ada" }))).toEqual([expect.objectContaining({ pointer: "/password" })]);
  });

  it("a response need not carry a writeOnly property that `required` lists; a readOnly one it must", async () => {
    expect((await call(gateway, "/accounts/me")).status).toBe(200);
    expect((await call(gateway, "/accounts/broken")).status).toBe(502);
  });
});

describe("report mode", () => {
  it("lets a request that breaks the description through unchanged and logs what enforce would have answered", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "warn").mockImplementation((line: string) => void lines.push(String(line)));
    const body = JSON.stringify({ name: "", age: -1, isAdmin: true });
    try {
      const echo = await admitted("/reported/people", json(body));
      expect(echo.body).toBe(body);
    } finally {
      spy.mockRestore();
    }
    const logged = lines.map((line) => JSON.parse(line) as { message: string; validation?: { status: number; operationId: string; errors: Violation[] } });
    const report = logged.find((line) => line.message === "request would be refused");
    expect(report?.validation).toMatchObject({ status: 400, operationId: "createPersonReported" });
    expect(report?.validation?.errors.map((error) => error.pointer)).toEqual(expect.arrayContaining(["/name", "/age"]));
  });

  it("logs nothing for a request that matches", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "warn").mockImplementation((line: string) => void lines.push(String(line)));
    try {
      await admitted("/reported/people", json({ name: "Ada", age: 36 }));
    } finally {
      spy.mockRestore();
    }
    expect(lines.filter((line) => line.includes("request would be refused"))).toEqual([]);
  });
});

describe("patterns a client could make slow", () => {
  // 48 letters and a mismatch: ^(a+)+$ backtracks through 2^48 ways on a backtracking engine (days);
  // the answer comes back at all only because the build put this pattern on the linear-time engine.
  const evil = `${"a".repeat(48)}!`;

  it("answers a flagged pattern's worst input with a 400, the pattern run on the linear-time engine", async () => {
    const errors = await refused(400, `/words/${evil}`);
    expect(errors).toEqual([{ in: "path", name: "word", message: 'must match pattern "^(a+)+$"' }]);
    await admitted(`/words/${"a".repeat(48)}?tag=ok`);
    expect(await refused(400, "/labels", json({ code: `${"0".repeat(40)}\u0000` }))).toEqual([
      { in: "body", pointer: "/code", message: 'must match pattern "^(\\w+\\s?)*$"' },
    ]);
  });

  it("refuses a string longer than maxStringLength before matching it, wherever the pattern stands", async () => {
    const long = "a".repeat(65);
    expect(await refused(400, "/labels", json({ code: long }))).toEqual([
      { in: "body", pointer: "/code", message: "is 65 characters long: a pattern is matched against at most 64" },
    ]);
    // Under `not`, an unmatched string would pass: it is refused all the same.
    expect(await refused(400, "/labels", json({ never: `admin${long}` }))).toEqual([
      { in: "body", pointer: "/never", message: "is 70 characters long: a pattern is matched against at most 64" },
    ]);
    expect(await refused(400, "/labels", json({ [`x-${long}`]: "v" }))).toEqual([
      { in: "body", pointer: `/x-${long}`, message: "its name is 67 characters long: a pattern is matched against at most 64" },
    ]);
    // A string no pattern reads is not bounded, and one within the bound is matched.
    await admitted("/labels", json({ code: "a".repeat(64), note: "n".repeat(100_000), "x-a": "v" }));
  });

  it("bounds parameters at 16384 characters by default", async () => {
    const errors = await refused(400, `/words/aaa?tag=${"a".repeat(16_385)}`);
    expect(errors).toEqual([{ in: "query", name: "tag", message: "is 16385 characters long: a pattern is matched against at most 16384" }]);
    // At the bound the pattern is matched (and this one fails it: upper case).
    expect(await refused(400, `/words/aaa?tag=${"A".repeat(16_384)}`)).toEqual([{ in: "query", name: "tag", message: 'must match pattern "^[a-z]+$"' }]);
  });
});
