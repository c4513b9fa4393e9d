/**
 * Checked by `tsc` (npm test's last step): the options type of a policy or
 * handler follows from its JSON Schema. Each @ts-expect-error fails the type
 * check if the line below it stops being an error.
 */
import { defineHandler, definePolicy } from "portico";

definePolicy({
  options: {
    type: "object",
    properties: { maxAge: { type: "integer" }, label: { type: "string" } },
    required: ["maxAge"],
    additionalProperties: false,
  },
  inbound(request, _ctx, options) {
    const seconds: number = options.maxAge;
    // @ts-expect-error label is optional, so possibly undefined
    const label: string = options.label;
    // @ts-expect-error no such option
    void options.missing;
    void seconds;
    void label;
    return request;
  },
});

defineHandler({
  handle(_request, ctx, options) {
    // @ts-expect-error a handler without an options schema gets no options
    void options.anything;
    return Response.json({ id: ctx.params.id, operation: ctx.route.operationId });
  },
});
