/**
 * @module
 * remove-headers: removes headers from the request (listed in inbound) or
 * from the response (listed in outbound).
 */
import type { FromSchema } from "json-schema-to-ts";
import { defineBuiltin } from "../../runtime/builtin.ts";
import { editableRequest, editableResponse } from "../../runtime/headers.ts";
import type { options } from "./options.ts";

export const removeHeaders = defineBuiltin<FromSchema<typeof options>>({
  create({ options }) {
    const names = options.headers.map((name) => name.toLowerCase());
    const without = (from: Headers): Headers => {
      const headers = new Headers(from);
      for (const name of names) headers.delete(name);
      return headers;
    };
    return {
      inbound: (request) => editableRequest(request, without(request.headers)),
      outbound: (response) => editableResponse(response, without(response.headers)),
    };
  },
});
