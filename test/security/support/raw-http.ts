/**
 * Bytes on a socket to the dev server, for what fetch() would never send:
 * conflicting framing headers, obfuscated Transfer-Encoding, a second request
 * hidden in a body, header lines repeated or malformed.
 */
import { connect } from "node:net";
import { suite } from "./gateway.ts";

export interface RawExchange {
  /** The status of each response read, in order. */
  statuses: number[];
  text: string;
}

/**
 * Writes `bytes` and reads until the server closes the connection, or stays
 * silent for `idleMs` once it has answered (`firstByteMs` before it does: a
 * busy dev server may take a while). End the last request with
 * `Connection: close` to be quick.
 */
export function rawExchange(bytes: string | Buffer, { idleMs = 1500, firstByteMs = 20_000 } = {}): Promise<RawExchange> {
  const { hostname, port } = new URL(suite.origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = "";
    let idle: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(idle);
      socket.destroy();
      resolve({ statuses: [...text.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((match) => Number(match[1])), text });
    };
    const wait = () => {
      clearTimeout(idle);
      idle = setTimeout(finish, text === "" ? firstByteMs : idleMs);
    };
    socket.on("connect", () => {
      socket.write(bytes);
      wait();
    });
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      wait();
    });
    socket.on("close", finish);
    socket.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" ? finish() : reject(error)));
  });
}

/** An HTTP/1.1 request head for the dev server, lines joined with CRLF and a blank line after. */
export function head(requestLine: string, lines: string[]): string {
  const { host } = new URL(suite.origin);
  return [requestLine, `Host: ${host}`, ...lines, "", ""].join("\r\n");
}

/** Writes `bytes` (a request whose body is cut short), then drops the connection after `afterMs`, as a client that gives up mid-upload. */
export function abandonUpload(bytes: string, afterMs: number): Promise<void> {
  const { hostname, port } = new URL(suite.origin);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes, () => setTimeout(() => socket.destroy(), afterMs)));
    socket.on("error", () => {}); // a reset is how it ends
    socket.on("close", () => resolve());
  });
}
