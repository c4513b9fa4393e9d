/**
 * @module
 * Bounds a request body while it streams, so no policy or handler ever reads
 * more than the limit: a declared Content-Length over it is refused before a
 * byte is read, and an undeclared (chunked) body fails as soon as one byte
 * too many has passed.
 */
import { GatewayError, PROBLEM } from "./errors.ts";

/** The 413 error of a body over `maxBytes`, the same whether it was declared or counted. */
export function bodyTooLarge(maxBytes: number): GatewayError {
  return new GatewayError(PROBLEM.payloadTooLarge, `The request body is larger than the limit of ${maxBytes} bytes.`);
}

/** The body size a request or response declares, or undefined when it declares none (or nonsense). */
export function declaredLength(message: Request | Response): number | undefined {
  return contentLength(message.headers.get("content-length"));
}

/** The body size a Content-Length value declares, or undefined for none (or nonsense). */
export function contentLength(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/**
 * A Request equal to `request` whose body can yield at most `maxBytes`.
 * Throws a 413 GatewayError at once when Content-Length says more; otherwise
 * the body stream errors with that GatewayError (and the source is cancelled)
 * when byte `maxBytes + 1` arrives, so `await limited.text()`, `.json()`,
 * `.formData()` or `.arrayBuffer()` rejects with it then, never after reading
 * everything.
 *
 * Read the result inside the gateway; do not stream it to an upstream: when a
 * body stream errors in the middle of a fetch, workerd may end the upload as
 * if it were complete, and the upstream then takes a cut-off body for a whole one.
 */
export function limitBody(request: Request, maxBytes: number): Request {
  const declared = declaredLength(request);
  if (declared !== undefined && declared > maxBytes) throw bodyTooLarge(maxBytes);
  const source = request.body;
  if (!source) return request;

  const reader = source.getReader();
  let seen = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        seen += value.byteLength;
        if (seen > maxBytes) {
          const error = bodyTooLarge(maxBytes);
          controller.error(error);
          await reader.cancel(error).catch(() => {});
          return;
        }
        controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    // Pull one chunk at a time: nothing is read ahead of the consumer.
    { highWaterMark: 0 },
  );
  return new Request(request, { body, duplex: "half" } as RequestInit);
}

/**
 * `request` with a body the gateway has read whole: its length declared, as
 * its framing now is (a chunked one's Transfer-Encoding dropped), so it goes
 * upstream with Content-Length; under `contentType` when the bytes were written anew.
 */
export function withBytes(request: Request, bytes: ArrayBuffer, contentType?: string): Request {
  const headers = new Headers(request.headers);
  if (contentType !== undefined) headers.set("content-type", contentType);
  headers.delete("transfer-encoding");
  headers.set("content-length", String(bytes.byteLength));
  return new Request(request, { body: bytes, headers });
}
