/**
 * D. Proxying, WebSocket handshakes through the real `npm run dev` (P1): the
 * dev front and wrangler dev pass the handshake on without Connection, the
 * gateway reads it on Upgrade alone, and only an operation with
 * `websocket: true` lets Upgrade reach an upstream, after authentication.
 * A real `ws` client on one side, the echo upstream on the other.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import type WebSocketClass from "ws";
import { suite, tag } from "./support/gateway.ts";

// Required, not imported: Vite resolves an import of "ws" to its browser stub.
const WebSocket = createRequire(import.meta.url)("ws") as typeof WebSocketClass;

const echo = suite.vars.WEBSOCKET_ECHO_URL;
const live = (id: string) => `${suite.gateway.replace(/^http/, "ws")}/live?id=${id}`;

interface Seen {
  headers: Record<string, string>;
  closeCode: number | null;
  closeReason: string | null;
}

const seenBy = async (id: string) => (await (await fetch(`${echo}/seen/${id}`)).json()) as Seen | null;

/** Opens a socket, or says which HTTP status refused the handshake. */
function open(id: string, headers: Record<string, string>): Promise<{ socket: WebSocketClass } | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(live(id), { headers });
    socket.once("open", () => resolve({ socket }));
    socket.once("unexpected-response", (_request, response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    socket.once("error", reject);
  });
}

/** The next `count` messages, as the client received them. */
function messages(socket: WebSocketClass, count: number): Promise<Array<{ data: Buffer; binary: boolean }>> {
  const received: Array<{ data: Buffer; binary: boolean }> = [];
  return new Promise((resolve) => {
    const take = (data: Buffer, binary: boolean) => {
      received.push({ data, binary });
      if (received.length < count) return;
      socket.off("message", take);
      resolve(received);
    };
    socket.on("message", take);
  });
}

describe("WebSocket handshakes through npm run dev", () => {
  it("P1: refuses a handshake without a key over HTTP, and never reaches the upstream", async () => {
    const id = tag("p1-ws-anonymous").toLowerCase();
    const refused = await open(id, {});
    expect(refused).toMatchObject({ status: 401 });
    expect(JSON.parse((refused as { body: string }).body)).toMatchObject({ status: 401 });
    expect(await seenBy(id)).toBeNull();
  });

  it("P1: takes a handshake read on Upgrade alone, with the key, and passes Upgrade but not the key upstream", async () => {
    const id = tag("p1-ws-open").toLowerCase();
    const opened = await open(id, { "x-api-key": suite.consumers.alice });
    if (!("socket" in opened)) throw new Error(`the handshake was refused: ${opened.status} ${opened.body}`);
    const seen = (await seenBy(id))!;
    expect(seen.headers.upgrade).toBe("websocket");
    expect(seen.headers["x-consumer-id"]).toBe("alice");
    expect(seen.headers["x-api-key"]).toBeUndefined();
    opened.socket.close(1000);
  });

  it("round-trips text and binary frames byte for byte, and carries each side's close code", async () => {
    const id = tag("ws-echo").toLowerCase();
    const opened = await open(id, { "x-api-key": suite.consumers.bob });
    if (!("socket" in opened)) throw new Error(`the handshake was refused: ${opened.status} ${opened.body}`);
    const { socket } = opened;
    const sent = Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? Buffer.from(Array.from({ length: i * 13 }, (_, j) => (i + j) % 256)) : `frame ${i} ✓`));
    const echoed = messages(socket, sent.length);
    for (const frame of sent) socket.send(frame, { binary: typeof frame !== "string" });
    const received = await echoed;
    expect(received.map(({ data, binary }) => (binary ? data : data.toString()))).toEqual(sent);
    const closed = new Promise<[number, string]>((resolve) => socket.once("close", (code, reason) => resolve([code, reason.toString()])));
    socket.send("close:4002");
    expect(await closed).toEqual([4002, "upstream closing"]);
  });

  it("closes the upstream with the client's code", async () => {
    const id = tag("ws-client-close").toLowerCase();
    const opened = await open(id, { "x-api-key": suite.consumers.bob });
    if (!("socket" in opened)) throw new Error(`the handshake was refused: ${opened.status} ${opened.body}`);
    opened.socket.close(4001, "client leaving");
    // Bounded: the close travels through the dev front, wrangler and workerd.
    await expect.poll(async () => (await seenBy(id))?.closeCode, { timeout: 20_000, interval: 50 }).toBe(4001);
    expect((await seenBy(id))?.closeReason).toBe("client leaving");
  });
});
