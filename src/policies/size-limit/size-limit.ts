/**
 * @module
 * size-limit: bounds the request body, and optionally the request target and
 * the headers, before anything downstream reads them.
 */
import type { FromSchema } from "json-schema-to-ts";
import { defineBuiltin } from "../../runtime/builtin.ts";
import { bodyTooLarge, declaredLength, limitBody, withBytes } from "../../runtime/body-limit.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import type { options } from "./options.ts";

function headerBytes(headers: Headers): number {
  let total = 0;
  for (const [name, value] of headers) total += name.length + value.length + 4;
  return total;
}

function requestTarget(request: Request): string {
  return request.url.slice(new URL(request.url).origin.length);
}

export const sizeLimit = defineBuiltin<FromSchema<typeof options>>({
  create({ options: { maxBytes, requireContentLength, maxUrlLength, maxHeaderBytes } }) {
    return { inbound: (request) => checkSize(request, maxBytes, requireContentLength, maxUrlLength, maxHeaderBytes) };
  },
});

async function checkSize(request: Request, maxBytes: number, requireContentLength: boolean, maxUrlLength?: number, maxHeaderBytes?: number): Promise<Request> {
  if (maxUrlLength !== undefined && requestTarget(request).length > maxUrlLength) {
    throw new GatewayError(PROBLEM.uriTooLong, `The request URL is longer than the limit of ${maxUrlLength} bytes.`);
  }
  if (maxHeaderBytes !== undefined && headerBytes(request.headers) > maxHeaderBytes) {
    throw new GatewayError(PROBLEM.headersTooLarge, `The request headers are larger than the limit of ${maxHeaderBytes} bytes.`);
  }
  if (!request.body) return request;
  const declared = declaredLength(request);
  if (declared !== undefined) {
    if (declared > maxBytes) throw bodyTooLarge(maxBytes);
    // The runtime frames a declared body by its Content-Length, so it cannot
    // run longer: it streams on as it came, length included.
    return request;
  }
  if (requireContentLength) {
    throw new GatewayError(PROBLEM.lengthRequired, "This operation takes a request body only with a Content-Length header.");
  }
  // Read before the handler runs: a body stream that fails in the middle of
  // an upstream fetch may reach the upstream cut off yet looking complete.
  const body = await limitBody(request, maxBytes).arrayBuffer();
  return withBytes(request, body);
}
