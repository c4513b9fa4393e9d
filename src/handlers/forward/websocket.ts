/**
 * @module
 * forward's WebSocket handshakes (`websocket: true`). The handshake reaches the
 * upstream only after every inbound policy has passed it, like any request;
 * the upstream's socket is then handed to the client as it is, so workerd
 * relays frames (and close codes) both ways without the gateway's JavaScript
 * holding a frame. A refusal, the gateway's or the upstream's, stays an HTTP
 * answer: a socket is opened only by the upstream's 101.
 */
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";

/** Read on Upgrade alone: `wrangler dev` drops a client's Connection header before the Worker sees it. */
export function isHandshake(request: Request): boolean {
  return request.headers.get("upgrade")?.trim().toLowerCase() === "websocket";
}

/** What a plain request to a WebSocket operation gets: 426, naming the protocol (RFC 9110 §15.5.22). */
export function refuseWithoutHandshake(): never {
  throw new GatewayError(PROBLEM.upgradeRequired, "This operation opens a WebSocket: send a WebSocket handshake (Upgrade: websocket).", {
    upgrade: "websocket",
  });
}

/** The upstream request's headers for a handshake: the Upgrade forward's hop-by-hop stripping took out. */
export function asHandshake(headers: Headers): Headers {
  headers.set("upgrade", "websocket");
  return headers;
}

/**
 * The client's answer to an upstream that took the handshake: its socket and
 * the subprotocol it chose (workerd writes the rest of the 101 itself).
 * Undefined when the upstream answered plain HTTP, which goes back as it is.
 */
export function socketAnswer(upstream: Response): Response | undefined {
  if (upstream.status !== 101 || !upstream.webSocket) return undefined;
  const headers = new Headers();
  const protocol = upstream.headers.get("sec-websocket-protocol");
  if (protocol) headers.set("sec-websocket-protocol", protocol);
  return new Response(null, { status: 101, webSocket: upstream.webSocket, headers });
}
