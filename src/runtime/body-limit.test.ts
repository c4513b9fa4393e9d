import { describe, expect, it } from "vitest";
import { limitBody } from "./body-limit.ts";
import { GatewayError } from "./errors.ts";

/** A body of `total` bytes (endless when Infinity) in `chunk`-byte pieces, counting what was pulled. */
function source(total: number, chunk: number) {
  const seen = { pulls: 0, cancelledWith: undefined as unknown };
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= total) return controller.close();
        seen.pulls++;
        const size = Math.min(chunk, total - sent);
        sent += size;
        controller.enqueue(new Uint8Array(size).fill(0x61));
      },
      cancel(reason) {
        seen.cancelledWith = reason;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

function post(body: ReadableStream<Uint8Array> | string, headers?: HeadersInit): Request {
  return new Request("https://gateway.example/upload", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail("expected the body to be refused"),
    (error: unknown) => error,
  );
}

function expect413(error: unknown, maxBytes: number) {
  expect(error).toBeInstanceOf(GatewayError);
  const { kind, detail } = error as GatewayError;
  expect(kind.status).toBe(413);
  expect(detail).toBe(`The request body is larger than the limit of ${maxBytes} bytes.`);
}

describe("limitBody", () => {
  it("refuses a Content-Length over the limit at once, before reading a byte", () => {
    const { stream, seen } = source(2048, 512);
    let thrown: unknown;
    try {
      limitBody(post(stream, { "content-length": "2048" }), 1024);
    } catch (error) {
      thrown = error;
    }
    expect413(thrown, 1024);
    expect(seen.pulls).toBe(0);
  });

  it("rejects .text() with the 413 GatewayError when a chunked body has one byte too many", async () => {
    const { stream } = source(1025, 100);
    expect413(await rejection(limitBody(post(stream), 1024).text()), 1024);
  });

  it("lets a chunked body of exactly the limit through, byte for byte", async () => {
    const { stream } = source(1024, 100);
    expect(await limitBody(post(stream), 1024).text()).toBe("a".repeat(1024));
  });

  it("rejects .json(), .formData() and .arrayBuffer() the same way", async () => {
    const json = post(source(11, 4).stream, { "content-type": "application/json" });
    expect413(await rejection(limitBody(json, 10).json()), 10);
    const form = post(source(11, 4).stream, { "content-type": "application/x-www-form-urlencoded" });
    expect413(await rejection(limitBody(form, 10).formData()), 10);
    expect413(await rejection(limitBody(post(source(11, 4).stream), 10).arrayBuffer()), 10);
  });

  it("stops pulling an endless body right after the limit and cancels it", async () => {
    const { stream, seen } = source(Infinity, 100);
    const error = await rejection(limitBody(post(stream), 1000).text());
    expect413(error, 1000);
    expect(seen.pulls).toBeLessThanOrEqual(12);
    expect(seen.cancelledWith).toBe(error);
  });

  it("reads nothing until the consumer does", async () => {
    const { stream, seen } = source(10_000, 100);
    const limited = limitBody(post(stream), 1_000_000);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen.pulls).toBe(0);
    expect((await limited.text()).length).toBe(10_000);
  });

  it("keeps a body within its Content-Length, and the request's method, URL and headers", async () => {
    const limited = limitBody(post("hello", { "content-type": "text/plain", "x-extra": "1" }), 5);
    expect(limited.method).toBe("POST");
    expect(limited.url).toBe("https://gateway.example/upload");
    expect(limited.headers.get("x-extra")).toBe("1");
    expect(await limited.text()).toBe("hello");
  });

  it("returns a request without a body as it is", () => {
    const request = new Request("https://gateway.example/");
    expect(limitBody(request, 0)).toBe(request);
  });
});
