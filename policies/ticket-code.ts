import { defineHandler } from "portico";

/** Answers with the code shown at the museum's entrance for a ticket. */
export default defineHandler({
  options: {
    type: "object",
    properties: { prefix: { type: "string", minLength: 1 } },
    required: ["prefix"],
    additionalProperties: false,
  },
  handle(_request, ctx, options) {
    const ticketId = ctx.params.ticketId;
    ctx.log.info("ticket code issued", { ticketId });
    return Response.json({ ticketId, code: `${options.prefix}-${ticketId.toUpperCase()}` });
  },
});
