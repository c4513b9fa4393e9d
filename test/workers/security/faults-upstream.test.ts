/**
 * F1, F3: an upstream that drops its connection. Before its headers the
 * gateway still owns the answer: a 502 problem, the request sent once. After
 * them the status has gone to the client, and what the client must not get is
 * a body it could take for complete (see docs/errors.md).
 */
import { describe, expect, it } from "vitest";
import gateway from "../../.generated/faults/app.ts";
import { call, problemOf } from "../../support/call.ts";
import { logsOf } from "../../support/faults.ts";
import { hits } from "../../support/tokens.ts";

/** Calls `path` once under a fresh probe; returns the answer, its body read to the end (or how that failed), and the gateway's log lines. */
async function through(path: string) {
  const probe = crypto.randomUUID();
  let response!: Response;
  let body!: { text: string } | { error: string };
  const logs = await logsOf(async () => {
    response = await call(gateway, path, { headers: { "x-probe": probe } });
    body = await response
      .clone()
      .text()
      .then(
        (text) => ({ text }),
        (error: unknown) => ({ error: String(error) }),
      );
  });
  return { response, body, logs, hits: await hits(probe) };
}

describe("the upstream drops the connection", () => {
  it("F1: before its headers: a 502 problem, the GET sent once, logged as a warning", async () => {
    const { response, logs, hits } = await through("/upstream/before-headers");
    expect(response.status).toBe(502);
    const problem = await problemOf(response);
    expect([problem.status, problem.title]).toEqual([502, "Bad Gateway"]);
    expect(JSON.stringify(problem)).not.toMatch(/Network connection|\n\s+at /);
    expect(hits).toBe(1);
    expect(logs.map((line) => [line.level, line.message, line.status])).toEqual([
      ["warn", "upstream unreachable", undefined],
      ["info", "request", 502],
    ]);
  });

  for (const [path, framing] of [
    ["/upstream/mid-body", "with Content-Length"],
    ["/upstream/mid-chunk", "chunked"],
  ] as const) {
    it(`F3: after its headers, ${framing}: the status has gone, but the body breaks off with an error, never a short body that reads as whole`, async () => {
      const { response, body, logs, hits } = await through(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-length")).toEqual(framing === "chunked" ? null : expect.stringMatching(/^\d+$/));
      expect(body).toEqual({ error: expect.stringContaining("Network connection lost") });
      expect(hits).toBe(1);
      // The gateway had answered when the body broke: nothing of its own to log, least of all an unhandled error.
      expect(logs.filter((line) => line.level === "error")).toEqual([]);
    });
  }
});
