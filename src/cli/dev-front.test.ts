import { writeFileSync } from "node:fs";
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempProject } from "../../test/support/temp-project.ts";
import { startDevFront, type DevFront } from "./dev-front.ts";

// The real `npm run dev` behind it is tested in test/node/dev-server.test.ts.
let front: DevFront | undefined;
let wrangler: Server | undefined;

afterEach(() => {
  front?.close();
  wrangler?.close();
  front = wrangler = undefined;
});

/** The front on a free port, with a stand-in for wrangler dev on the port it was given, answering with what reached it. */
async function started(files: Record<string, string> = {}) {
  const root = tempProject({ "wrangler.toml": '[dev]\nip = "127.0.0.1"\n', ...files });
  front = await startDevFront(root, ["--port", "0", "--persist-to", "state"]);
  const args = front!.wranglerArgs;
  const port = Number(args[args.indexOf("--port") + 1]);
  wrangler = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk)).on("end", () => res.end(JSON.stringify({ headers: req.headers, body })));
  });
  // An upgrade is answered 101 with the address it came from, then echoes what it is sent.
  wrangler.on("upgrade", (req: IncomingMessage, socket: Socket) => {
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\nX-Seen-Address: ${req.headers["cf-connecting-ip"]}\r\n\r\n`);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => wrangler!.listen(port, "127.0.0.1", resolve));
  const base = front!.shown(`http://127.0.0.1:${port}`);
  return { root, args, base };
}

function send(url: string, headers: Record<string, string>, body?: string): Promise<{ headers: IncomingMessage["headers"]; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: body === undefined ? "GET" : "POST", headers }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk)).on("end", () => resolve(JSON.parse(text)));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("portico dev's front", () => {
  it("runs wrangler on a loopback port of its own, with the other options as given, and shows its own address", async () => {
    const { args, base } = await started();
    expect(args.slice(0, 2)).toEqual(["--persist-to", "state"]);
    expect(args.slice(2, 4)).toEqual(["--ip", "127.0.0.1"]);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(base).not.toBe(`http://127.0.0.1:${args[5]}`);
  });

  it("sets CF-Connecting-IP from the connection over the client's, and drops what Connection names", async () => {
    const { base } = await started();
    const seen = await send(`${base}/x`, { "cf-connecting-ip": "203.0.113.5", connection: "x-hop", "x-hop": "1", "x-kept": "1" });
    expect(seen.headers["cf-connecting-ip"]).toBe("127.0.0.1");
    expect(seen.headers["x-hop"]).toBeUndefined();
    expect(seen.headers["x-kept"]).toBe("1");
  });

  it("keeps the client's own while .dev.vars sets PORTICO_DEV_TRUST_CLIENT_IP=1, read again when it changes", async () => {
    const { root, base } = await started({ ".dev.vars": "PORTICO_DEV_TRUST_CLIENT_IP=1\n" });
    expect((await send(`${base}/x`, { "cf-connecting-ip": "203.0.113.5" })).headers["cf-connecting-ip"]).toBe("203.0.113.5");
    expect((await send(`${base}/x`, {})).headers["cf-connecting-ip"]).toBe("127.0.0.1");
    // A later mtime than the first write, on file systems that keep whole seconds.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    writeFileSync(join(root, ".dev.vars"), "PORTICO_DEV_TRUST_CLIENT_IP=0\n");
    expect((await send(`${base}/x`, { "cf-connecting-ip": "203.0.113.5" })).headers["cf-connecting-ip"]).toBe("127.0.0.1");
  });

  it("passes a chunked body on whole", async () => {
    const { base } = await started();
    const seen = await send(`${base}/upload`, { "transfer-encoding": "chunked" }, "a".repeat(100_000));
    expect(seen.body).toHaveLength(100_000);
  });

  it("passes an upgrade through, its address set as for any request", async () => {
    const { base } = await started();
    const { seen, echoed } = await new Promise<{ seen: unknown; echoed: string }>((resolve, reject) => {
      const req = request(`${base}/live`, { headers: { connection: "Upgrade", upgrade: "echo", "cf-connecting-ip": "203.0.113.5" } });
      req.on("upgrade", (res, socket) => {
        socket.once("data", (chunk) => {
          resolve({ seen: res.headers["x-seen-address"], echoed: chunk.toString() });
          socket.destroy();
        });
        socket.write("ping");
      });
      req.on("error", reject);
      req.end();
    });
    expect(seen).toBe("127.0.0.1");
    expect(echoed).toBe("ping");
  });

  it("is not started for --local-protocol https, which wrangler serves itself", async () => {
    expect(await startDevFront(tempProject({}), ["--local-protocol", "https"])).toBeUndefined();
    expect(await startDevFront(tempProject({ "wrangler.toml": '[dev]\nlocal_protocol = "https"\n' }), [])).toBeUndefined();
  });
});
