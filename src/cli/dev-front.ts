/**
 * @module
 * The front of `portico dev`: a plain HTTP proxy on the address wrangler dev
 * was asked for, in front of wrangler dev on a loopback port of its own. It
 * sets CF-Connecting-IP from the connection, over any the client sent, as
 * Cloudflare's edge does: wrangler dev passes a client's own through, and the
 * Worker sees no other sign of the address (request.cf has none), so without
 * this a local client could choose what ip-filter, rate-limit `by: ip` and
 * forward's X-Forwarded-For see. PORTICO_DEV_TRUST_CLIENT_IP=1 in .dev.vars
 * keeps a client's own, for tests that simulate addresses. As a proxy it drops
 * Connection and the fields it names (RFC 9110 §7.6.1): wrangler dev drops
 * Connection alone, so the named fields would reach the Worker as ordinary ones.
 */
import { readFileSync } from "node:fs";
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { answerHeaders, headersFor, trustSetting } from "./dev-front-headers.ts";

export interface DevFront {
  /** What wrangler dev is run with: the user's options, its address replaced by the loopback one behind the front. */
  wranglerArgs: string[];
  /** wrangler's output with its own address replaced by the front's, the one clients use. */
  shown(text: string): string;
  close(): void;
}

/** The value of `--name value` or `--name=value` in wrangler's options, and the options without it. */
function takeOption(argv: string[], name: string): { value?: string; rest: string[] } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}` && i + 1 < argv.length) value = argv[++i];
    else if (argv[i].startsWith(`--${name}=`)) value = argv[i].slice(name.length + 3);
    else rest.push(argv[i]);
  }
  return { value, rest };
}

function devSection(root: string): { port?: unknown; ip?: unknown; local_protocol?: unknown } {
  try {
    return (parseToml(readFileSync(join(root, "wrangler.toml"), "utf8")) as { dev?: object }).dev ?? {};
  } catch {
    return {}; // wrangler says what is wrong with it, better than we could
  }
}

/** Where wrangler dev listens, and when it first does: until then requests wait, as they would for wrangler itself. */
interface Target {
  port: number;
  up: Promise<void>;
}

function whenListening(port: number, stopped: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const attempt = () => {
      if (stopped()) return;
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        setTimeout(attempt, 100).unref();
      });
    };
    attempt();
  });
}

function proxy(target: Target, agent: Agent, trusted: () => boolean) {
  return (req: IncomingMessage, res: ServerResponse) => void target.up.then(() => forward(req, res, target, agent, trusted));
}

function forward(req: IncomingMessage, res: ServerResponse, target: Target, agent: Agent, trusted: () => boolean): void {
  const headers = headersFor(req, trusted(), false);
  const upstream = request({ host: "127.0.0.1", port: target.port, method: req.method, path: req.url, headers, agent, setHost: false }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answerHeaders(answer.rawHeaders));
    answer.pipe(res);
  });
  upstream.on("error", (error: NodeJS.ErrnoException) => {
    // What the client still sends has nowhere to go: read it to the end, so its answer reaches it
    // rather than a connection reset in the middle of its upload.
    req.unpipe(upstream);
    req.resume();
    if (res.headersSent) return void res.destroy();
    const fail = () => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" }).end(`wrangler dev did not answer: ${error.message}\n`);
    };
    // A body refused part-way (a 413 at the first byte too many) ends wrangler's reading and its
    // connection: the write fails, and the answer it sent may still be on its way.
    if (error.code === "EPIPE" || error.code === "ECONNRESET") setTimeout(fail, 1000).unref();
    else fail();
  });
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/** WebSocket and other upgrades (wrangler's live reload among them) go through as bytes once the head is passed on. */
function tunnel(target: Target, trusted: () => boolean) {
  return (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    void target.up.then(() => passUpgrade(req, socket, head, target, trusted));
  };
}

function passUpgrade(req: IncomingMessage, socket: Socket, head: Buffer, target: Target, trusted: () => boolean): void {
  const upstream = connect(target.port, "127.0.0.1", () => {
    const headers = headersFor(req, trusted(), true);
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < headers.length; i += 2) lines.push(`${headers[i]}: ${headers[i + 1]}`);
    upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    socket.pipe(upstream).pipe(socket);
  });
  const close = () => {
    socket.destroy();
    upstream.destroy();
  };
  upstream.on("error", close);
  socket.on("error", close);
  socket.on("close", close);
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe, 0, "127.0.0.1");
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Starts the front on the address the options or wrangler.toml's [dev] ask for
 * (wrangler's defaults: localhost:8787), or undefined for `--local-protocol
 * https`, which wrangler serves itself. Throws when the address is taken.
 */
export async function startDevFront(root: string, argv: string[]): Promise<DevFront | undefined> {
  const dev = devSection(root);
  const protocol = takeOption(argv, "local-protocol").value ?? dev.local_protocol;
  if (protocol === "https") return undefined;
  const port = takeOption(argv, "port");
  const ip = takeOption(port.rest, "ip");
  const publicPort = Number(port.value ?? dev.port ?? 8787);
  const publicHost = String(ip.value ?? dev.ip ?? "localhost");
  const internalPort = await freeLoopbackPort();
  let closed = false;
  const target: Target = { port: internalPort, up: whenListening(internalPort, () => closed) };
  // A fresh loopback connection per request: a kept one that wrangler closes while idle would
  // cut off the next request sent on it (the race every keep-alive client has with its server).
  const agent = new Agent({ keepAlive: false });
  const trusted = trustSetting(root);
  // localhost is both loopback addresses, as clients may try either.
  const hosts = publicHost === "localhost" ? ["127.0.0.1", "::1"] : [publicHost];
  const servers: Server[] = [];
  let listening = publicPort;
  for (const [i, host] of hosts.entries()) {
    // Clients keep connections open for a while (undici 4 s, browsers longer); closing an idle one
    // sooner than they expect makes them send a request into a closing socket.
    const server = createServer({ keepAliveTimeout: 65_000 }, proxy(target, agent, trusted)).on("upgrade", tunnel(target, trusted));
    try {
      listening = await listen(server, listening, host);
      servers.push(server);
    } catch (error) {
      if (i > 0) continue; // a machine without IPv6 loopback
      closed = true;
      agent.destroy();
      throw error;
    }
  }
  const shownHost = publicHost.includes(":") ? `[${publicHost}]` : publicHost;
  return {
    wranglerArgs: [...ip.rest, "--ip", "127.0.0.1", "--port", String(target.port)],
    shown: (text) => text.replaceAll(`127.0.0.1:${target.port}`, `${shownHost}:${listening}`),
    close() {
      closed = true;
      for (const server of servers) {
        server.close();
        server.closeAllConnections();
      }
      agent.destroy();
    },
  };
}
