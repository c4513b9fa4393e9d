/**
 * @module
 * set-headers: sets headers on the request (listed in inbound) or on the
 * response (listed in outbound); values may come from ${env.NAME}.
 */
import type { FromSchema } from "json-schema-to-ts";
import { defineBuiltin } from "../../runtime/builtin.ts";
import { editableRequest, editableResponse } from "../../runtime/headers.ts";
import type { options } from "./options.ts";

export const setHeaders = defineBuiltin<FromSchema<typeof options>>({
  create({ options: { headers: values, overwrite } }) {
    const entries = Object.entries(values);
    const apply = (from: Headers): Headers => {
      const headers = new Headers(from);
      for (const [name, value] of entries) if (overwrite || !headers.has(name)) headers.set(name, value);
      return headers;
    };
    return {
      inbound: (request) => editableRequest(request, apply(request.headers)),
      outbound: (response) => editableResponse(response, apply(response.headers)),
    };
  },
});
