/**
 * @module
 * A bound on the size of an upstream's answer (OWASP API10, unsafe
 * consumption of APIs): one that declares too many bytes is refused before
 * any of it is sent, and one that does not declare its length is counted as
 * it streams and cut off where it passes the bound.
 */
import { declaredLength } from "../../runtime/body-limit.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import type { Logger } from "../../runtime/types.ts";

/** The body of the upstream's answer, held to `maxBytes`: throws a 502 GatewayError when it declares more. */
export function limitedBody(upstream: Response, maxBytes: number, log: Logger, origin: string): ReadableStream<Uint8Array> | null {
  if (upstream.body === null) return null;
  const length = declaredLength(upstream);
  if (length !== undefined && length > maxBytes) {
    upstream.body.cancel().catch(() => {});
    log.warn("upstream answer too large", { upstream: origin, contentLength: length, maxResponseBytes: maxBytes });
    throw new GatewayError(PROBLEM.badGateway, `The upstream's answer (${length} bytes) is larger than the gateway passes on.`);
  }
  // A declared length holds (the runtime ends the body there), unless the body is decoded on the way in.
  if (length !== undefined && !upstream.headers.has("content-encoding")) return upstream.body;
  let seen = 0;
  return upstream.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen <= maxBytes) return controller.enqueue(chunk);
        log.warn("upstream answer cut off", { upstream: origin, maxResponseBytes: maxBytes });
        controller.error(new Error(`The upstream's answer passed ${maxBytes} bytes.`));
      },
    }),
  );
}
