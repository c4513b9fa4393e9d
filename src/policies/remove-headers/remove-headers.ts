/**
 * @module
 * remove-headers: removes headers from the request (inbound) or the response (outbound).
 */
import { definePolicy } from "../../index.ts";
import { editableRequest, editableResponse } from "../../runtime/headers.ts";
import { options } from "./options.ts";

function without(from: Headers, names: readonly string[]): Headers {
  const headers = new Headers(from);
  for (const name of names) headers.delete(name);
  return headers;
}

export const removeHeaders = definePolicy({
  options,
  inbound: (request, _ctx, { headers }) => editableRequest(request, without(request.headers, headers)),
  outbound: (response, _request, _ctx, { headers }) =>
    editableResponse(response, without(response.headers, headers)),
});
