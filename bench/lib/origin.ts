/**
 * @module
 * The overhead bench's origin: a node:http server on 127.0.0.1 answering every
 * request with the same small JSON page, as fast as node can. Run as its own
 * process, it prints its port on stdout once it listens.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

const PAGE = JSON.stringify({
  items: [
    { id: "it-1", name: "Amphora" },
    { id: "it-2", name: "Lekythos" },
  ],
});

function serve() {
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(PAGE) });
    response.end(PAGE);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => console.log((server.address() as { port: number }).port));
}

/** Starts the origin in a child process (which inherits this one's cores); resolves with its URL. */
export function startOrigin(): Promise<{ url: string; close: () => void }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the origin exited (${code}) before listening`)));
    child.stdout.once("data", (chunk: Buffer) => resolve({ url: `http://127.0.0.1:${chunk.toString().trim()}`, close: () => child.kill("SIGTERM") }));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) serve();
