/**
 * @module
 * set-headers: sets headers on the request (inbound) or the response (outbound).
 */
import { definePolicy } from "../../index.ts";
import { editableRequest, editableResponse } from "../../runtime/headers.ts";
import { options } from "./options.ts";

function apply(from: Headers, values: Record<string, string>, overwrite: boolean): Headers {
  const headers = new Headers(from);
  for (const [name, value] of Object.entries(values)) {
    if (overwrite || !headers.has(name)) headers.set(name, value);
  }
  return headers;
}

export const setHeaders = definePolicy({
  options,
  inbound: (request, _ctx, { headers, overwrite = true }) =>
    editableRequest(request, apply(request.headers, headers, overwrite)),
  outbound: (response, _request, _ctx, { headers, overwrite = true }) =>
    editableResponse(response, apply(response.headers, headers, overwrite)),
});
