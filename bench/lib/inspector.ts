/**
 * @module
 * Reads a Worker's V8 heap through workerd's inspector (the DevTools
 * protocol `workerd serve --inspector-addr` speaks), the way `wrangler dev`'s
 * debugger attaches: the isolate's own memory, apart from workerd's.
 */

export interface HeapUsage {
  /** Bytes of the V8 heap in use. */
  usedBytes: number;
  /** Bytes the heap holds from the system: what it grew to, garbage included. */
  totalBytes: number;
}

/** Gives up on an inspector that does not answer, rather than hang the bench. */
const ANSWER_TIMEOUT_MS = 10_000;

async function call<T>(socket: WebSocket, method: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const id = Math.floor(Math.random() * 1e9);
    const timer = setTimeout(
      () => finish(() => reject(new Error(`${method}: workerd's inspector did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`))),
      ANSWER_TIMEOUT_MS,
    );
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      socket.removeEventListener("message", onMessage);
      socket.removeEventListener("close", onClose);
      settle();
    };
    const onMessage = (event: MessageEvent) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: T; error?: { message: string } };
      if (message.id !== id) return;
      finish(() => (message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolve(message.result as T)));
    };
    const onClose = () => finish(() => reject(new Error(`${method}: workerd's inspector closed the connection`)));
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", onClose);
    socket.send(JSON.stringify({ id, method }));
  });
}

/** The heap of the first Worker the inspector on `port` lists. */
export async function heapUsage(port: number): Promise<HeapUsage> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
  if (targets.length === 0) throw new Error(`workerd's inspector on port ${port} lists no Worker.`);
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
  try {
    await new Promise((resolve, reject) => {
      socket.addEventListener("open", resolve, { once: true });
      socket.addEventListener("error", () => reject(new Error(`cannot attach to workerd's inspector on port ${port}`)), { once: true });
    });
    const usage = await call<{ usedSize: number; totalSize: number }>(socket, "Runtime.getHeapUsage");
    return { usedBytes: usage.usedSize, totalBytes: usage.totalSize };
  } finally {
    socket.close();
  }
}
