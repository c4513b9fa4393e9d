/**
 * @module
 * The floor a cache hit is measured against: a Worker that answers every
 * request with the origin's page (the PAGE var), without fetching anything.
 */
export default {
  fetch(_request: Request, env: { PAGE: string }): Response {
    return new Response(env.PAGE, { headers: { "content-type": "application/json" } });
  },
};
