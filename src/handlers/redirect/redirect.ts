/**
 * @module
 * redirect: answers with a redirect to a templated location.
 */
import { defineHandler } from "../../index.ts";
import { fillParams } from "../../runtime/templates.ts";
import { options } from "./options.ts";

export const redirect = defineHandler({
  options,
  handle(request, ctx, { location, status = 302, keepQuery = false }) {
    let target = fillParams(location, ctx.params);
    const search = new URL(request.url).search;
    if (keepQuery && search) target += (target.includes("?") ? "&" : "?") + search.slice(1);
    return new Response(null, { status, headers: { location: target } });
  },
});
