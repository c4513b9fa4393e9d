import { describe, expect, it } from "vitest";
import gateway from "../../../test/.generated/edge/app.ts";
import { arrivals } from "../../../test/fixtures/gateways/edge/policies/count-arrivals.ts";
import { call, problemOf } from "../../../test/support/call.ts";
import type { Received } from "../../../test/support/upstream.ts";

/** A chunked body (no Content-Length) of `total` bytes in 100-byte pieces, counting the pieces pulled. */
function chunked(total: number) {
  const pulled = { count: 0 };
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= total) return controller.close();
        pulled.count++;
        const size = Math.min(100, total - sent);
        sent += size;
        controller.enqueue(new Uint8Array(size).fill(0x62));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled };
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const reached = () => arrivals.get("upload") ?? 0;
const upload = (body: BodyInit, headers?: HeadersInit) => call(gateway, "/upload", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("size-limit: the request body", () => {
  it("refuses a Content-Length over maxBytes with 413 problem+json before reading, and the upstream is never called", async () => {
    const before = reached();
    const { stream, pulled } = chunked(1025);
    const response = await upload(stream, { "content-length": "1025" });
    expect(response.status).toBe(413);
    expect(pulled.count).toBe(0);
    expect(await problemOf(response)).toMatchObject({
      status: 413,
      title: "Content Too Large",
      detail: "The request body is larger than the limit of 1024 bytes.",
      instance: "/upload",
    });
    expect(reached()).toBe(before);
  });

  it("refuses a chunked body of maxBytes + 1 with 413 without reading on, and the upstream is never called", async () => {
    const before = reached();
    const { stream, pulled } = chunked(1_000_000);
    const response = await upload(stream);
    expect(response.status).toBe(413);
    expect((await problemOf(response)).detail).toBe("The request body is larger than the limit of 1024 bytes.");
    expect(pulled.count).toBeLessThanOrEqual(12);
    expect(reached()).toBe(before);
  });

  it("passes a chunked body of exactly maxBytes to the upstream whole, now with its Content-Length", async () => {
    const before = reached();
    const response = await upload(chunked(1024).stream);
    expect(response.status).toBe(200);
    const received = (await response.json()) as Received;
    expect(received.bodyLength).toBe(1024);
    expect(received.bodySha256).toBe(await sha256(new Uint8Array(1024).fill(0x62)));
    expect(received.headers).toContainEqual(["content-length", "1024"]);
    expect(reached()).toBe(before + 1);
  });

  it("streams a body with a Content-Length within the limit through unchanged", async () => {
    const body = crypto.getRandomValues(new Uint8Array(1024));
    const response = await upload(body, { "content-length": "1024" });
    expect(response.status).toBe(200);
    const received = (await response.json()) as Received;
    expect(received.bodySha256).toBe(await sha256(body));
    expect(received.headers).toContainEqual(["content-length", "1024"]);
  });

  it("lets a request without a body through", async () => {
    const response = await call(gateway, "/upload", { method: "POST" });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Received).bodyLength).toBe(0);
  });
});

describe("size-limit: requireContentLength, maxUrlLength, maxHeaderBytes", () => {
  const strict = (path: string, init: RequestInit) => call(gateway, path, { method: "POST", ...init, duplex: "half" } as RequestInit);
  const reachedStrict = () => arrivals.get("strictUpload") ?? 0;

  it("refuses a chunked body outright when Content-Length is required, and takes one that has it", async () => {
    const before = reachedStrict();
    const { stream, pulled } = chunked(10);
    const refused = await strict("/strict", { body: stream });
    expect(refused.status).toBe(411);
    expect((await problemOf(refused)).detail).toBe("This operation takes a request body only with a Content-Length header.");
    expect(pulled.count).toBe(0);
    expect(reachedStrict()).toBe(before);
    expect((await strict("/strict", { body: "small", headers: { "content-length": "5" } })).status).toBe(204);
    expect(reachedStrict()).toBe(before + 1);
  });

  it("refuses a request target longer than maxUrlLength", async () => {
    expect((await strict(`/strict?q=${"x".repeat(30)}`, {})).status).toBe(204); // exactly 40
    const refused = await strict(`/strict?q=${"x".repeat(31)}`, {});
    expect(refused.status).toBe(414);
    expect((await problemOf(refused)).detail).toBe("The request URL is longer than the limit of 40 bytes.");
  });

  it("refuses headers over maxHeaderBytes", async () => {
    expect((await strict("/strict", { headers: { "x-note": "a".repeat(100) } })).status).toBe(204);
    const refused = await strict("/strict", { headers: { "x-note": "a".repeat(600) } });
    expect(refused.status).toBe(431);
    expect((await problemOf(refused)).detail).toBe("The request headers are larger than the limit of 600 bytes.");
  });
});
