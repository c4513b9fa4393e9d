import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { jsonObjectReader } from "./json-objects.ts";
import { readTailArgs, statusMatcher, type TailArgs } from "./tail-args.ts";
import { formatTail, type TailOptions } from "./tail-format.ts";

// What `wrangler tail --format json` printed for six events (see the README beside it).
const recorded = readFileSync(fileURLToPath(new URL("../../test/fixtures/wrangler-tail/tail.jsonl", import.meta.url).href), "utf8");

const readable = (options: Partial<TailOptions> = {}) => formatTail(recorded, { json: false, colour: false, ...options });

describe("portico tail's output of a recorded wrangler tail", () => {
  it("prints each request's access line, with the event's exceptions and error lines indented under it", () => {
    expect(readable()).toBe(
      [
        "14:00:00 200 GET /exhibits/{id} → getExhibit 12 ms (upstream 8 ms) acme/free 512 B",
        "14:00:01 429 GET /exhibits → listExhibits 2 ms globex/free 301 B rate-limited too-many-requests",
        "14:00:04 500 POST /tickets → buyTicket 38 ms acme/free in 87 B, out 254 B internal",
        "    ✘ Error: Network connection lost.",
        "      at async Object.fetch (worker.js:18211:21)",
        "      at async flushSpans (worker.js:9042:7)",
        "    error unhandled error: Cannot read properties of undefined (reading 'price')",
        "14:00:06 200 GET /exhibits/{id} → getExhibit 19 ms (upstream 15 ms) 498 B cache hit",
        "14:00:09 exception GET /v1/exhibits/search (no access line)",
        "    ✘ Error: Worker exceeded CPU time limit.",
        "      at validateBody (worker.js:11873:19)",
        "      at async pipeline (worker.js:12240:12)",
        "",
      ].join("\n"),
    );
  });

  it("--consumer keeps that consumer's requests only", () => {
    const lines = readable({ consumer: "acme" }).trimEnd().split("\n");
    expect(lines.filter((line) => /^\d\d:\d\d:\d\d /.test(line))).toEqual([
      "14:00:00 200 GET /exhibits/{id} → getExhibit 12 ms (upstream 8 ms) acme/free 512 B",
      "14:00:04 500 POST /tickets → buyTicket 38 ms acme/free in 87 B, out 254 B internal",
    ]);
    expect(readable({ consumer: "nobody" })).toBe("");
  });

  it("--status keeps a status or a class, and a failure without an access line counts as a 5xx", () => {
    const heads = (status: string) =>
      readable({ status: statusMatcher(status) })
        .split("\n")
        .filter((line) => /^\d\d:\d\d:\d\d /.test(line))
        .map((line) => line.split(" ").slice(1, 3).join(" "));
    expect(heads("429")).toEqual(["429 GET"]);
    expect(heads("5xx")).toEqual(["500 POST", "exception GET"]);
    expect(heads("2xx")).toEqual(["200 GET", "200 GET"]);
    expect(heads("4xx,5xx")).toEqual(["429 GET", "500 POST", "exception GET"]);
  });

  it("--json prints the matching access lines as they were logged, one JSON object a line, and nothing else", () => {
    const lines = formatTail(recorded, { json: true, colour: false, status: statusMatcher("4xx,5xx") })
      .trimEnd()
      .split("\n");
    expect(lines.map((line) => JSON.parse(line))).toMatchObject([
      { message: "request", status: 429, consumer: "globex", rateLimit: "refused", problem: "too-many-requests" },
      { message: "request", status: 500, consumer: "acme", operationId: "buyTicket", time: "2026-12-03T14:00:04.158Z" },
    ]);
  });

  it("colours the status and marks exceptions in red on a terminal", () => {
    const coloured = formatTail(recorded, { json: false, colour: true, status: statusMatcher("500") });
    expect(coloured).toContain("\x1b[31m500\x1b[0m POST /tickets");
    expect(coloured).toContain("    \x1b[31m✘\x1b[0m Error: Network connection lost.");
  });

  it("never lets logged text move the cursor: control characters are written out", () => {
    const event = {
      outcome: "ok",
      logs: [{ level: "error", message: ["\x1b[2Jwiped"], timestamp: 0 }],
      exceptions: [],
      event: { request: { url: "https://gw.example/x", method: "GET" }, response: { status: 500 } },
    };
    expect(formatTail(JSON.stringify(event), { json: false, colour: false })).toContain("error \\u001b[2Jwiped");
  });

  it("names a Durable Object call that failed as wrangler does: entrypoint and method", () => {
    const event = {
      outcome: "exception",
      entrypoint: "RateLimiter",
      eventTimestamp: 0,
      logs: [],
      exceptions: [{ name: "Error", message: "storage reset" }],
      event: { rpcMethod: "check" },
    };
    expect(formatTail(JSON.stringify(event), { json: false, colour: false })).toBe(
      "00:00:00 exception RateLimiter.check (no access line)\n    ✘ Error: storage reset\n",
    );
  });
});

describe("reading wrangler's stream", () => {
  it("cuts concatenated objects apart whatever the chunks, braces inside strings included, and keeps stray text", () => {
    const reader = jsonObjectReader();
    const text = 'starting\n{"a":"}{\\"","b":[{"c":1}]}\n{\n    "d": 2\n}{"e":3}\nbye';
    const pieces = [...text].flatMap((char) => reader.push(char));
    expect([...pieces, ...reader.end()]).toEqual([
      { text: "starting" },
      { object: { a: '}{"', b: [{ c: 1 }] } },
      { object: { d: 2 } },
      { object: { e: 3 } },
      { text: "bye" },
    ]);
    // wrangler stopped in the middle of the second event: that one cannot be read, and is left out.
    expect(formatTail(recorded.slice(0, 5000), { json: false, colour: false })).toBe(readable().split("\n")[0] + "\n");
  });
});

describe("portico tail's command line", () => {
  const read = (argv: string[]) => readTailArgs(argv) as TailArgs;

  it("runs wrangler tail with --format json and passes on every option of its own", () => {
    expect(read([]).wrangler).toEqual(["tail", "--format", "json"]);
    expect(read(["portico-gateway-production", "--env", "production", "--method", "POST", "--consumer", "acme", "--json"])).toMatchObject({
      wrangler: ["tail", "portico-gateway-production", "--env", "production", "--method", "POST", "--format", "json"],
      consumer: "acme",
      json: true,
    });
    expect(read(["--consumer=acme", "--search", "tickets", "--", "--odd-name"]).wrangler).toEqual([
      "tail",
      "--search",
      "tickets",
      "--odd-name",
      "--format",
      "json",
    ]);
  });

  it("reads --status as HTTP statuses, but leaves wrangler's own outcomes to wrangler", () => {
    const status = read(["--status", "5xx"]).status!;
    expect([200, 429, 500, 503].map(status)).toEqual([false, false, true, true]);
    expect(read(["--status=429,404"]).status!(404)).toBe(true);
    expect(read(["--status", "error"]).wrangler).toEqual(["tail", "--status", "error", "--format", "json"]);
    expect(read(["--status", "error"]).status).toBeUndefined();
  });

  it("refuses what it cannot honour, saying what to give instead", () => {
    expect(readTailArgs(["--status", "fine"])).toMatchObject({ problem: { message: '--status "fine" is not an HTTP status.' } });
    expect(readTailArgs(["--status", "6xx"])).toHaveProperty("problem");
    expect(readTailArgs(["--consumer"])).toMatchObject({ problem: { message: "--consumer needs a consumer id." } });
    expect(readTailArgs(["--format", "pretty"])).toMatchObject({ problem: { message: "portico tail sets wrangler's --format itself." } });
    expect(read(["-h"]).help).toBe(true);
  });
});
