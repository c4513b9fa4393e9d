import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import gateway from "../../../test/.generated/websocket/app.ts";
import { call, problemOf } from "../../../test/support/call.ts";
import { storeConsumer } from "../../../test/support/consumers.ts";

/** What the echo upstream saw of a connection. */
interface Seen {
  headers: Record<string, string>;
  closeCode: number | null;
  closeReason: string | null;
}

const seenBy = async (id: string) => (await (await fetch(`${env.WEBSOCKET_ECHO_URL}/seen/${id}`)).json()) as Seen | null;

/** Asks until the upstream has seen the connection closed; gives up after 10 s, failing the test. */
async function closeSeenBy(id: string): Promise<Seen> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const seen = await seenBy(id);
    if (seen?.closeCode != null) return seen;
    if (Date.now() > deadline) throw new Error(`the upstream never saw ${id} closed`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const key = await storeConsumer({ id: "socket-user" });

/** A WebSocket handshake, as a browser sends it after `wrangler dev` dropped Connection. */
function handshake(path: string, headers: Record<string, string> = {}) {
  return call(gateway, path, { headers: { upgrade: "websocket", "x-api-key": key, ...headers } });
}

/** The client's socket, accepted, with every message it receives in arrival order. */
async function connect(id: string, headers: Record<string, string> = {}) {
  const response = await handshake(`/live?id=${id}`, headers);
  expect(response.status).toBe(101);
  const socket = response.webSocket!;
  const messages: Array<string | Blob> = [];
  const waiting: Array<() => void> = [];
  socket.accept();
  socket.addEventListener("message", (event) => {
    messages.push(event.data);
    waiting.shift()?.();
  });
  const closed = new Promise<CloseEvent>((resolve) => socket.addEventListener("close", resolve));
  const received = async (count: number) => {
    while (messages.length < count) await new Promise<void>((resolve) => waiting.push(resolve));
    return messages.slice(0, count);
  };
  return { socket, response, received, closed };
}

const unique = (name: string) => `${name}-${crypto.randomUUID()}`;

describe("forward: WebSocket handshakes", () => {
  it("round-trips 1,000 text messages and binary frames byte for byte, in order", async () => {
    const { socket, received } = await connect(unique("echo"));
    const sent: Array<string | Uint8Array> = [];
    for (let i = 0; i < 1000; i++) {
      if (i % 10 === 0) {
        // Binary frames of many sizes, past the 16-bit frame length at 70,000 bytes.
        const bytes = new Uint8Array(i === 500 ? 70_000 : (i * 37) % 4096);
        for (let at = 0; at < bytes.length; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
        sent.push(bytes);
      } else sent.push(`message ${i}: ${"✓".repeat(i % 7)}`);
    }
    for (const message of sent) socket.send(message);
    const echoed = await received(sent.length);
    // A binary frame arrives as a Blob (the compatibility date's binaryType).
    const asSent = await Promise.all(
      echoed.map(async (message) => (typeof message === "string" ? message : new Uint8Array(await (message as Blob).arrayBuffer()))),
    );
    expect(asSent).toEqual(sent);
    socket.close(1000, "done");
  });

  it("passes the handshake on with its consumer and subprotocol, after authentication", async () => {
    const id = unique("headers");
    const { socket, response } = await connect(id, { "sec-websocket-protocol": "chat.v2, chat.v1" });
    expect(response.headers.get("sec-websocket-protocol")).toBe("chat.v2");
    const seen = (await seenBy(id))!;
    expect(seen.headers.upgrade).toBe("websocket");
    expect(seen.headers["x-consumer-id"]).toBe("socket-user");
    expect(seen.headers["x-api-key"]).toBeUndefined();
    socket.close(1000);
  });

  it("closes the upstream with the client's code and reason", async () => {
    const id = unique("client-close");
    const { socket } = await connect(id);
    socket.close(4001, "client leaving");
    const seen = await closeSeenBy(id);
    expect([seen.closeCode, seen.closeReason]).toEqual([4001, "client leaving"]);
  });

  it("closes the client with the upstream's code and reason", async () => {
    const { socket, closed } = await connect(unique("upstream-close"));
    socket.send("close:4002");
    const event = await closed;
    expect([event.code, event.reason]).toEqual([4002, "upstream closing"]);
  });

  it("answers a handshake without credentials 401 over HTTP, opening no socket", async () => {
    const response = await call(gateway, "/live?id=anonymous", { headers: { upgrade: "websocket" } });
    expect(response.status).toBe(401);
    expect(response.webSocket).toBeNull();
    expect((await problemOf(response)).status).toBe(401);
  });

  it("validates the handshake request like any other", async () => {
    const response = await handshake("/live?id=NOT%20VALID");
    expect(response.status).toBe(400);
    expect(response.webSocket).toBeNull();
    const problem = (await problemOf(response)) as { errors?: Array<{ in?: string; name?: string }> };
    expect(problem.errors).toEqual([expect.objectContaining({ in: "query", name: "id" })]);
  });

  it("counts handshakes against the operation's rate limit, refusing over HTTP", async () => {
    const own = await storeConsumer({ id: unique("limited") });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await call(gateway, `/limited?id=${unique("limited")}`, { headers: { upgrade: "websocket", "x-api-key": own } });
      statuses.push(response.status);
      response.webSocket?.accept();
      response.webSocket?.close(1000);
    }
    expect(statuses).toEqual([101, 101, 429]);
  });

  it("answers a plain GET 426, naming the protocol to upgrade to", async () => {
    const response = await call(gateway, "/live?id=plain", { headers: { "x-api-key": key } });
    expect(response.status).toBe(426);
    expect(response.headers.get("upgrade")).toBe("websocket");
    expect((await problemOf(response)).detail).toMatch(/Upgrade: websocket/);
  });

  it("keeps Upgrade only for operations that take it: elsewhere a handshake is a plain GET upstream", async () => {
    const response = await call(gateway, "/plain?id=elsewhere", { headers: { upgrade: "websocket" } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ plain: true });
  });
});
