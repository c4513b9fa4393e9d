/**
 * @module
 * The client's side of a request body: a connection that ends before the body
 * does is the client leaving, not a fault of the gateway's, and a body cut off
 * that way must never reach an upstream as if it were whole.
 */
import { GatewayError } from "./errors.ts";

/** The client's connection ended before its request body did: nobody is left to answer. */
export class ClientGoneError extends Error {
  constructor(cause?: unknown) {
    super("The client closed the connection before its request body ended.", { cause });
    this.name = "ClientGoneError";
  }
}

/**
 * Awaits a read of the client's body. Its failures other than the gateway's own
 * (a 413 while it streams) and a TypeError (a stream already read: a bug to
 * show, not to hide) are the connection lost, which workerd reports as a
 * plain Error ("Network connection lost.").
 */
export async function fromClient<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof GatewayError || error instanceof TypeError) throw error;
    throw new ClientGoneError(error);
  }
}

/**
 * The body to send upstream for `body`, and how to learn that its client left
 * while it was being sent. workerd ends an upload whose source stream errors
 * as if it were complete when the stream's length is unknown (a chunked body,
 * or any stream made in JavaScript), so the upstream would take a cut-off body
 * for a whole one. Here the source's failure is never passed on: the stream
 * stays open, `onLost` is called, and the caller aborts the fetch, which
 * resets the upstream connection before the body's end is ever written.
 */
export function guardedUpload(body: ReadableStream<Uint8Array>, onLost: (error: unknown) => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        onLost(error);
        return new Promise<void>(() => {}); // until the aborted fetch cancels this stream
      }
      if (chunk.done) controller.close();
      else controller.enqueue(chunk.value);
    },
    // Cancelling a source that already failed rejects again, with nobody left to hear it.
    cancel: (reason) => reader.cancel(reason).catch(() => {}),
  });
}
