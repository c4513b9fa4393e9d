/**
 * @module
 * request-id: adopts a well-formed incoming request id instead of the one the
 * gateway made, passes it upstream, and echoes it on every response of the
 * operation under the header named here (errors and early answers included).
 */
import type { FromSchema } from "json-schema-to-ts";
import { defineBuiltin } from "../../runtime/builtin.ts";
import { withHeaders } from "../../runtime/context.ts";
import { editableRequest } from "../../runtime/headers.ts";
import type { options } from "./options.ts";

/** A caller's id is adopted only if it cannot inject anything into logs or headers. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

/** The header the gateway echoes the id in when no request-id policy renames it. */
const GATEWAY_HEADER = "x-request-id";

export const requestId = defineBuiltin<FromSchema<typeof options>>({
  create({ options: { header } }) {
    const renamed = header.toLowerCase() !== GATEWAY_HEADER;
    return {
      inbound(request, ctx) {
        const incoming = request.headers.get(header);
        if (incoming && WELL_FORMED.test(incoming)) ctx.requestId = incoming;
        const headers = new Headers(request.headers);
        headers.set(header, ctx.requestId);
        return editableRequest(request, headers);
      },
      finish: (response, _request, ctx) =>
        withHeaders(response, (headers) => {
          if (renamed) headers.delete(GATEWAY_HEADER);
          headers.set(header, ctx.requestId);
        }),
    };
  },
});
