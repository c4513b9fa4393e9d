import { definePolicy } from "portico";

/** Lets browsers and CDNs cache successful answers for a while. */
export default definePolicy({
  options: {
    type: "object",
    properties: {
      maxAge: { type: "integer", minimum: 0, description: "Seconds a response may be cached." },
    },
    required: ["maxAge"],
    additionalProperties: false,
  },
  outbound(response, _request, _ctx, options) {
    if (!response.ok) return response;
    const cached = new Response(response.body, response);
    cached.headers.set("cache-control", `public, max-age=${options.maxAge}`);
    return cached;
  },
});
