/**
 * A real WebSocket upstream on 127.0.0.1 (the `ws` server) for forward's
 * WebSocket tests. It echoes every message as it came (text as text, binary
 * as binary); the text `close:<code>` makes it close with that code and the
 * reason "upstream closing". Each connection names itself with `?id=`, and
 * plain HTTP reads what the server saw of it: GET /seen/<id> answers the
 * handshake's headers and the close code the other side sent (null while
 * open). A plain GET elsewhere answers 200, as an upstream that takes no
 * handshake there would.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import type { WebSocketServer as Server_ } from "ws";

// Required, not imported: Vite resolves an import of "ws" to its browser stub, which has no server.
const { WebSocketServer } = createRequire(import.meta.url)("ws") as { WebSocketServer: typeof Server_ };

interface Seen {
  headers: IncomingHttpHeaders;
  closeCode: number | null;
  closeReason: string | null;
}

export async function startWebSocketEcho(): Promise<{ server: Server; port: number }> {
  const seen = new Map<string, Seen>();
  const sockets = new WebSocketServer({ noServer: true });
  const server = createServer((req, res) => {
    const [, id] = /^\/seen\/([^/?]+)$/.exec(req.url ?? "") ?? [];
    const body = id === undefined ? { plain: true } : (seen.get(id) ?? null);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  server.on("upgrade", (req, socket, head) => {
    const id = new URL(req.url ?? "/", "http://echo").searchParams.get("id") ?? "anonymous";
    sockets.handleUpgrade(req, socket, head, (ws) => {
      const record: Seen = { headers: req.headers, closeCode: null, closeReason: null };
      seen.set(id, record);
      ws.on("message", (data, isBinary) => {
        const text = isBinary ? undefined : data.toString();
        const code = text && /^close:(\d{4})$/.exec(text)?.[1];
        if (code) ws.close(Number(code), "upstream closing");
        else ws.send(data, { binary: isBinary });
      });
      ws.on("close", (code, reason) => {
        record.closeCode = code;
        record.closeReason = reason.toString();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
