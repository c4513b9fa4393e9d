/**
 * @module
 * The physical limit the gateway is measured against: a Worker that does
 * nothing but send the request on to the origin and return its response.
 */
export default {
  fetch(request: Request, env: { UPSTREAM_URL: string }): Promise<Response> {
    const url = new URL(request.url);
    return fetch(env.UPSTREAM_URL + url.pathname + url.search, request);
  },
};
