/**
 * The client's side of a request body: one that leaves mid-upload, and one
 * whose headers undersell its body. A client that leaves is no fault of the
 * gateway's (logged as such, 499), a body that never arrived whole never
 * reaches the upstream as whole, and a body is checked whatever its
 * Content-Length claims.
 */
import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import gateway from "../../.generated/faults/app.ts";
import { call } from "../../support/call.ts";
import { logsOf } from "../../support/faults.ts";

const authUrl = `http://127.0.0.1:${inject("authPort")}`;

interface Upload {
  bytes: number;
  whole: boolean;
  length: string | null;
}

/** What the upstream's upload sink recorded under `probe`: null when it was never called. */
async function uploadSeen(probe: string): Promise<Upload | null> {
  return (await (await fetch(`${authUrl}/control/faults/uploads/${probe}`)).json()) as Upload | null;
}

/** A client's body that sends `sent` bytes, then loses its connection, as workerd reports it. */
function lostAfter(sent: number): ReadableStream<Uint8Array> {
  let given = false;
  return new ReadableStream({
    pull(controller) {
      if (given) return controller.error(new Error("Network connection lost."));
      given = true;
      controller.enqueue(new TextEncoder().encode(`{"a":"${"x".repeat(sent - 8)}"`));
    },
  });
}

/** A whole body in `chunks` pieces of `size` bytes. */
function chunked(chunks: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ === chunks) return controller.close();
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
}

async function upload(path: string, init: RequestInit) {
  const probe = crypto.randomUUID();
  let response!: Response;
  const logs = await logsOf(async () => {
    response = await call(gateway, path, { method: "POST", ...init, headers: { "x-probe": probe, ...init.headers } });
    await response.arrayBuffer();
  });
  const access = logs.filter((line) => line.message === "request");
  expect(access.map((line) => line.status)).toEqual([response.status]);
  // The access line aside: what the gateway had to say of the request.
  return { response, logs: logs.filter((line) => line.message !== "request").map((line) => [line.level, line.message]), seen: await uploadSeen(probe) };
}

describe("a client that leaves mid-upload", () => {
  for (const [path, how] of [
    ["/upstream/checked-upload", "a body read to be checked"],
    ["/upstream/reported-upload", "a body read to be reported on (validate mode: report)"],
  ] as const) {
    it(`${how}: logged as a client that left (499, info), and the upstream never called`, async () => {
      const { response, logs, seen } = await upload(path, {
        body: lostAfter(1000),
        headers: { "content-type": "application/json", "content-length": "4000" },
      });
      expect(response.status).toBe(499);
      expect(logs).toEqual([["info", "client closed the connection"]]);
      expect(seen).toBeNull();
    });
  }

  for (const [framing, headers] of [
    ["chunked", {}],
    ["with Content-Length", { "content-length": "4000" }],
  ] as const) {
    it(`a body streamed on unread, ${framing}: the upstream's request is cut off, never ended as whole`, async () => {
      const { response, logs, seen } = await upload("/upstream/upload", {
        body: lostAfter(1000),
        headers: { "content-type": "application/octet-stream", ...headers },
      });
      expect(response.status).toBe(499);
      expect(logs).toEqual([["info", "client closed the connection"]]);
      // The upstream may not have been reached at all before the request was given up.
      if (seen !== null) expect(seen.whole).toBe(false);
    });
  }

  it("a whole streamed body arrives whole, its Content-Length declared when the client declared one", async () => {
    const plain = await upload("/upstream/upload", { body: chunked(4, 1000), headers: { "content-type": "application/octet-stream" } });
    expect(plain.response.status).toBe(200);
    expect(plain.seen).toEqual({ bytes: 4000, whole: true, length: null });
    const declared = await upload("/upstream/upload", {
      body: chunked(4, 1000),
      headers: { "content-type": "application/octet-stream", "content-length": "4000" },
    });
    expect(declared.response.status).toBe(200);
    expect(declared.seen).toEqual({ bytes: 4000, whole: true, length: "4000" });
    expect([...plain.logs, ...declared.logs]).toEqual([]);
  });
});

describe("a body its headers undersell", () => {
  it("Content-Length: 0 over a body, to an operation that takes none: 415, and the upstream never called", async () => {
    const { response, seen } = await upload("/upstream/no-body", { body: "smuggled", headers: { "content-type": "text/plain", "content-length": "0" } });
    expect(response.status).toBe(415);
    expect(seen).toBeNull();
  });

  it("Content-Length: 0 beside Transfer-Encoding: chunked: the body is checked as any other", async () => {
    const { response, seen } = await upload("/upstream/checked-upload", {
      body: "not json",
      headers: { "content-type": "application/json", "content-length": "0", "transfer-encoding": "chunked" },
    });
    expect(response.status).toBe(400);
    expect(seen).toBeNull();
  });

  it("a Content-Length: 0 that tells the truth goes on as no body", async () => {
    const { response, seen } = await upload("/upstream/no-body", { headers: { "content-length": "0" } });
    expect(response.status).toBe(200);
    expect(seen).toMatchObject({ bytes: 0, whole: true });
  });
});
