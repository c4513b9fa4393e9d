/**
 * @module
 * request-id: adopts a well-formed incoming request id instead of the one the
 * gateway made, and passes it upstream. The gateway echoes the id on every
 * response it gives (under the header named here), so no outbound hook is needed.
 */
import { definePolicy } from "../../index.ts";
import { REQUEST_ID_HEADER_KEY } from "../../runtime/context.ts";
import { editableRequest } from "../../runtime/headers.ts";
import { options } from "./options.ts";

/** A caller's id is adopted only if it cannot inject anything into logs or headers. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

export const requestId = definePolicy({
  options,
  inbound(request, ctx, { header = "X-Request-Id" }) {
    const incoming = request.headers.get(header);
    if (incoming && WELL_FORMED.test(incoming)) ctx.requestId = incoming;
    ctx.bag.set(REQUEST_ID_HEADER_KEY, header);
    const headers = new Headers(request.headers);
    headers.set(header, ctx.requestId);
    return editableRequest(request, headers);
  },
});
