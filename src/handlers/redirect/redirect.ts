/**
 * @module
 * redirect: answers with a redirect to a templated location.
 */
import { defineHandler } from "../../index.ts";
import { fillParams, withCallerQuery } from "../../runtime/templates.ts";
import { options } from "./options.ts";

export const redirect = defineHandler({
  options,
  handle(request, ctx, { location, status = 302, keepQuery = false }) {
    const filled = fillParams(location, ctx.params);
    const target = keepQuery ? withCallerQuery(filled, request) : filled;
    return new Response(null, { status, headers: { location: target } });
  },
});
