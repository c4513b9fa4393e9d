/**
 * @module
 * redirect: answers with a redirect to a templated location.
 */
import type { FromSchema } from "json-schema-to-ts";
import { defineBuiltin } from "../../runtime/builtin.ts";
import { fillParams, withCallerQuery } from "../../runtime/templates.ts";
import type { options } from "./options.ts";

export const redirect = defineBuiltin<FromSchema<typeof options>>({
  create({ options: { location, status, keepQuery } }) {
    return {
      handle(request, ctx) {
        const filled = fillParams(location, ctx.params);
        const target = keepQuery ? withCallerQuery(filled, request) : filled;
        return new Response(null, { status, headers: { location: target } });
      },
    };
  },
});
