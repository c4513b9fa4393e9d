/**
 * @module
 * The headers the dev front passes on: the request's with CF-Connecting-IP
 * set from the connection (unless .dev.vars says to trust a client's own) and
 * the hop-by-hop fields dropped, and the answer's without its hop-by-hop fields.
 */
import { readFileSync, statSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { join } from "node:path";
import { parseEnv } from "node:util";

const TRUST_CLIENT_IP = "PORTICO_DEV_TRUST_CLIENT_IP";

/** RFC 9110 §7.6.1; Transfer-Encoding is framing, which Node reads and writes anew on each side. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade"]);

/** Whether .dev.vars says to keep a client's CF-Connecting-IP; read again whenever the file changes. */
export function trustSetting(root: string): () => boolean {
  const file = join(root, ".dev.vars");
  let seen: number | undefined;
  let trusted = false;
  return () => {
    let changed: number;
    try {
      changed = statSync(file).mtimeMs;
    } catch {
      changed = 0;
    }
    if (changed !== seen) {
      seen = changed;
      trusted = changed !== 0 && parseEnv(readFileSync(file, "utf8"))[TRUST_CLIENT_IP] === "1";
    }
    return trusted;
  };
}

/** The connecting address as Cloudflare writes it: IPv4 without the `::ffff:` of a dual-stack socket. */
function socketAddress(socket: Socket): string {
  return (socket.remoteAddress ?? "").replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
}

/** The request's raw headers for wrangler: CF-Connecting-IP set unless trusted, hop-by-hop fields dropped but for an upgrade's. */
export function headersFor(req: IncomingMessage, trusted: boolean, upgrade: boolean): string[] {
  const raw = req.rawHeaders;
  const named = new Set((req.headers.connection ?? "").split(",").map((token) => token.trim().toLowerCase()));
  const keepClientAddress = trusted && req.headers["cf-connecting-ip"] !== undefined;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (name === "cf-connecting-ip" && !keepClientAddress) continue;
    // A chunked body is read as chunks and sent on as chunks only while the header says so.
    if (!upgrade && (HOP_BY_HOP.has(name) || named.has(name)) && name !== "transfer-encoding") continue;
    out.push(raw[i], raw[i + 1]);
  }
  if (!keepClientAddress) out.push("CF-Connecting-IP", socketAddress(req.socket));
  return out;
}

export function answerHeaders(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (!HOP_BY_HOP.has(name) && name !== "transfer-encoding") out.push(raw[i], raw[i + 1]);
  }
  return out;
}
