import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The browser modules are plain JavaScript without type declarations: loaded by URL.
const load = (name: string): Promise<Record<string, any>> => import(new URL(`./client/${name}`, import.meta.url).href);
const { buildTryItRequest, serverPath, formatBody, isRateLimitHeader } = await load("request.js");
const { matchSearchIndex } = await load("search-match.js");

describe("the try-it request", () => {
  it("fills path parameters percent-encoded after the server's path, and sends filled query and header fields", () => {
    const request = buildTryItRequest({
      method: "get",
      path: "/exhibits/{id}/rooms/{room}",
      server: "http://localhost:8787/v1",
      fields: [
        ["path.id", "ex 1/2?"],
        ["path.room", "é"],
        ["query.limit", "5"],
        ["query.gallery", ""],
        ["header.Prefer", "code=404"],
        ["header.X-Trace", ""],
      ],
      credentials: [],
    });
    expect(request).toEqual({
      method: "GET",
      url: "/v1/exhibits/ex%201%2F2%3F/rooms/%C3%A9?limit=5",
      headers: [["Prefer", "code=404"]],
      body: undefined,
      missing: [],
      notes: [],
    });
  });

  it("names the path parameters left empty instead of sending a broken URL", () => {
    const request = buildTryItRequest({ method: "GET", path: "/tickets/{ticketId}", server: "", fields: [["path.ticketId", ""]], credentials: [] });
    expect(request.missing).toEqual(["ticketId"]);
  });

  it("sends a JSON body with its content type, but never on GET", () => {
    const body = '{"date":"2026-12-01"}';
    const post = buildTryItRequest({ method: "POST", path: "/tickets", server: "/v1", fields: [["body", body]], credentials: [] });
    expect(post.body).toBe(body);
    expect(post.headers).toEqual([["content-type", "application/json"]]);
    const own = buildTryItRequest({
      method: "POST",
      path: "/t",
      server: "",
      fields: [
        ["header.Content-Type", "application/merge-patch+json"],
        ["body", "{}"],
      ],
      credentials: [],
    });
    expect(own.headers).toEqual([["Content-Type", "application/merge-patch+json"]]);
    const get = buildTryItRequest({ method: "GET", path: "/t", server: "", fields: [["body", body]], credentials: [] });
    expect(get.body).toBeUndefined();
    expect(get.headers).toEqual([]);
  });

  it("puts API keys in their header or query parameter, bearer and basic in Authorization", () => {
    const request = buildTryItRequest({
      method: "GET",
      path: "/t",
      server: "https://api.example.com/",
      fields: [],
      credentials: [
        { kind: "apiKey", in: "header", name: "X-API-Key", value: " ptk_abc " },
        { kind: "apiKey", in: "query", name: "api_key", value: "ptk_q" },
        { kind: "bearer", value: "eyJ.token" },
        { kind: "basic", user: "visitor-1", password: "pässword" },
      ],
    });
    expect(request.url).toBe("/t?api_key=ptk_q");
    expect(request.headers).toEqual([
      ["X-API-Key", "ptk_abc"],
      ["authorization", "Bearer eyJ.token"],
      ["authorization", `Basic ${Buffer.from("visitor-1:pässword", "utf8").toString("base64")}`],
    ]);
  });

  it("leaves out empty credentials, and hands a cookie key to the page to set for the API's path", () => {
    const request = buildTryItRequest({
      method: "GET",
      path: "/t",
      server: "https://api.example.com/v1",
      fields: [["cookie.region", "eu"]],
      credentials: [
        { kind: "bearer", value: "" },
        { kind: "basic", user: "", password: "" },
        { kind: "apiKey", in: "cookie", name: "session", value: " s3cret " },
      ],
    });
    expect(request.headers).toEqual([]);
    expect(request.url).toBe("/v1/t");
    expect(request.cookies).toEqual([
      ["region", "eu"],
      ["session", "s3cret"],
    ]);
    // Scoped to the API: the portal's own pages never see the key.
    expect(request.cookiePath).toBe("/v1");
    expect(request.notes).toEqual([]);
  });

  it("refuses a cookie key a cookie cannot hold, without repeating it", () => {
    const request = buildTryItRequest({
      method: "GET",
      path: "/t",
      server: "",
      fields: [],
      credentials: [{ kind: "apiKey", in: "cookie", name: "session", value: "a;b" }],
    });
    expect(request.cookies).toBeUndefined();
    expect(request.notes).toEqual([expect.stringContaining("session cookie cannot hold")]);
    expect(request.notes.join(" ")).not.toContain("a;b");
  });

  it("sends a form body from its name=value lines, brackets and all, percent-encoded", () => {
    const request = buildTryItRequest({
      method: "POST",
      path: "/v1/customers",
      server: "https://api.stripe.com/",
      fields: [],
      credentials: [],
      body: { kind: "form", mediaType: "application/x-www-form-urlencoded", text: "email=a@b.co\n\nmetadata[plan]=pro & more\nnote=x=y\n" },
    });
    expect(request.url).toBe("/v1/customers");
    expect(request.headers).toEqual([["content-type", "application/x-www-form-urlencoded"]]);
    expect(request.body).toBe("email=a%40b.co&metadata%5Bplan%5D=pro+%26+more&note=x%3Dy");
    expect([...new URLSearchParams(request.body)]).toEqual([
      ["email", "a@b.co"],
      ["metadata[plan]", "pro & more"],
      ["note", "x=y"],
    ]);
  });

  it("leaves a multipart body and its Content-Type to the page, and sends a file body with its media type", () => {
    const multipart = buildTryItRequest({
      method: "POST",
      path: "/files",
      server: "",
      fields: [],
      credentials: [],
      body: { kind: "multipart", mediaType: "multipart/form-data", text: "" },
    });
    expect(multipart).toMatchObject({ bodyKind: "multipart", body: undefined, headers: [] });
    const file = buildTryItRequest({
      method: "PUT",
      path: "/blob",
      server: "",
      fields: [],
      credentials: [],
      body: { kind: "binary", mediaType: "image/png", text: "" },
    });
    expect(file).toMatchObject({ bodyKind: "binary", headers: [["content-type", "image/png"]] });
    const json = buildTryItRequest({
      method: "PATCH",
      path: "/t",
      server: "",
      fields: [],
      credentials: [],
      body: { kind: "json", mediaType: "application/merge-patch+json", text: " " },
    });
    expect(json).toMatchObject({ body: undefined, headers: [] });
  });

  it("keeps only the path of the server URL, templated hosts included", () => {
    expect(["http://localhost:8787/v1", "https://{region}.api.example.com/v2/", "/v1", "", "https://api.example.com", "/v1?x=1"].map(serverPath)).toEqual([
      "/v1",
      "/v2",
      "/v1",
      "",
      "",
      "/v1",
    ]);
  });
});

describe("the try-it response", () => {
  it("pretty-prints JSON and problem+json, and shows anything else as received", () => {
    expect(formatBody("application/json; charset=utf-8", '{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(formatBody("application/problem+json", '{"status":429}')).toBe('{\n  "status": 429\n}');
    expect(formatBody("application/json", "not json")).toBe("not json");
    expect(formatBody("text/plain", '{"a":1}')).toBe('{"a":1}');
    expect(formatBody(null, "x")).toBe("x");
  });

  it("picks out the rate limit headers", () => {
    expect(["RateLimit", "ratelimit-policy", "X-RateLimit-Remaining", "Retry-After", "content-type", "x-request-id"].filter(isRateLimitHeader)).toEqual([
      "RateLimit",
      "ratelimit-policy",
      "X-RateLimit-Remaining",
      "Retry-After",
    ]);
  });
});

describe("search matching", () => {
  const entries = [
    { kind: "guide", title: "Getting started", text: "List exhibits with curl, then buy a ticket.", url: "/docs/guides/getting-started" },
    {
      kind: "operation",
      title: "List exhibits",
      text: "Exhibits on show.",
      url: "/docs/operations/listExhibits",
      id: "listExhibits",
      method: "GET",
      path: "/exhibits",
    },
    { kind: "operation", title: "Buy a ticket", text: "", url: "/docs/operations/buyTicket", id: "buyTicket", method: "POST", path: "/tickets" },
    { kind: "schema", title: "Ticket", text: "An entry ticket.", url: "/docs/schemas/Ticket" },
    {
      kind: "operation",
      title: "Refund",
      text: "Gives the money of a ticket back.",
      url: "/docs/operations/refund",
      id: "refund",
      method: "POST",
      path: "/refunds",
    },
  ];
  const titles = (query: string) => matchSearchIndex(entries, query).map((entry: { title: string }) => entry.title);

  it("needs every word in the name, title, method and path or text, in any case", () => {
    expect(titles("EXHIBITS list")).toEqual(["List exhibits", "Getting started"]);
    expect(titles("post /tickets")).toEqual(["Buy a ticket"]);
    expect(titles("ticket zebra")).toEqual([]);
    expect(titles("   ")).toEqual([]);
  });

  it("ranks an exact name first, then names, titles and paths, then descriptions", () => {
    expect(titles("ticket")).toEqual(["Ticket", "Buy a ticket", "Refund", "Getting started"]);
    expect(titles("buyticket")).toEqual(["Buy a ticket"]);
    expect(titles("refunds")[0]).toBe("Refund");
    // A word in a description never outranks the same word in a title.
    expect(titles("exhibits")).toEqual(["List exhibits", "Getting started"]);
  });

  it("shows at most 20 results", () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ kind: "schema", title: `Thing ${i}`, text: "", url: `/docs/schemas/Thing${i}` }));
    expect(matchSearchIndex(many, "thing")).toHaveLength(20);
  });
});

describe("the scripts as pages load them", () => {
  const folder = fileURLToPath(new URL("./client/", import.meta.url).href);
  const source = (name: string) => readFileSync(`${folder}${name}`, "utf8");

  it("are classic scripts (loaded with <script defer>) whose modules exist beside them", () => {
    for (const name of ["theme.js", "search.js", "try-it.js"]) {
      // A static import or export in a classic script is a syntax error: the whole script would be dead.
      expect(source(name), name).not.toMatch(/^\s*(import|export)\s/m);
      for (const [, module] of source(name).matchAll(/import\(new URL\("\.\/([^"]+)"/g)) expect(existsSync(`${folder}${module}`), module).toBe(true);
    }
  });

  it("are plain ASCII, so they read the same whatever charset they are served with", () => {
    for (const name of readdirSync(folder).filter((file) => file.endsWith(".js"))) expect(source(name), name).toMatch(/^[\x00-\x7f]*$/);
  });
});
