/**
 * Fake LLM providers on 127.0.0.1 for the llm handler's tests: one server that
 * speaks OpenAI's chat completions, Responses and embeddings under /openai/<mode>/<tag>/v1/…
 * and Anthropic's Messages API under /anthropic/<mode>/<tag>/v1/…, answers as
 * the real ones do (fixed text and usage), and records what it receives per tag.
 *
 * The mode says how it answers: `ok`; `status-NNN` (a provider error that quotes
 * the key it was sent, as real providers quote keys they refuse); `hang` (no
 * answer at all); `stall` (headers, then nothing); `cut` (a stream's first event,
 * then the connection dropped); `ack` (a stream whose k-th text delta waits until
 * the client has acknowledged k−1 of them: POST /_ack/<tag>). A test in Node may
 * script modes per tag instead (`script`), used before the URL's.
 *
 * GET /_received/<tag> answers what the tag's requests held: path, headers, body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { anthropicEvents, openaiEvents, openaiResponsesEvents, whole, type Api } from "./llm-provider-answers.ts";

export { FAKE_USAGE } from "./llm-provider-answers.ts";

export interface ReceivedCall {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** How long an `ack` stream waits for an acknowledgement before giving up (the test has failed by then). */
const ACK_WAIT_MS = 15_000;

interface Acks {
  count: number;
  waiters: Array<() => void>;
}

export interface FakeProviders {
  server: Server;
  port: number;
  url: string;
  received(tag: string): ReceivedCall[];
  /** Modes the tag's next requests take, in order, before the URL's own. */
  script(tag: string, modes: string[]): void;
  close(): Promise<void>;
}

const sse = (res: ServerResponse, data: unknown, event?: string) =>
  res.write(`${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);

function keyOf(req: IncomingMessage): string {
  return String(req.headers["x-api-key"] ?? req.headers.authorization ?? "").replace(/^Bearer /, "");
}

function fail(res: ServerResponse, api: Api, status: number, key: string) {
  const message = `Fake failure ${status}: the key ${key} is fine, the provider is not.`;
  const body =
    api === "openai" ? { error: { message, type: "server_error", param: null, code: null } } : { type: "error", error: { type: "api_error", message } };
  res.writeHead(status, { "content-type": "application/json", ...(status === 429 ? { "retry-after": "7" } : {}) }).end(JSON.stringify(body));
}

export async function startLlmProviders(): Promise<FakeProviders> {
  const received = new Map<string, ReceivedCall[]>();
  const scripts = new Map<string, string[]>();
  const acks = new Map<string, Acks>();
  const acksOf = (tag: string) => acks.get(tag) ?? (acks.set(tag, { count: 0, waiters: [] }).get(tag) as Acks);

  async function stream(res: ServerResponse, api: Api, endpoint: string, body: any, mode: string, tag: string) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    if (mode === "stall") return;
    const events = api === "anthropic" ? anthropicEvents(body) : endpoint === "responses" ? openaiResponsesEvents(body) : openaiEvents(body);
    let texts = 0;
    for (const event of events) {
      if (mode === "ack" && event.text && texts++ > 0) {
        const state = acksOf(tag);
        const wanted = texts - 1;
        const released = await new Promise<boolean>((resolve) => {
          if (state.count >= wanted) return resolve(true);
          const timer = setTimeout(() => resolve(false), ACK_WAIT_MS);
          state.waiters.push(() => state.count >= wanted && (clearTimeout(timer), resolve(true)));
        });
        if (!released) return res.destroy();
      }
      sse(res, event.data, "event" in event ? (event.event as string) : undefined);
      // A FIN without the body's last chunk: the bytes sent arrive, then the body breaks (an RST could drop them).
      if (mode === "cut") return void setTimeout(() => res.socket?.end(), 50);
    }
    res.end();
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      const control = /^\/_(received|ack)\/([^/]+)$/.exec(path);
      if (control?.[1] === "received")
        return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(received.get(control[2]) ?? []));
      if (control?.[1] === "ack") {
        const state = acksOf(control[2]);
        state.count++;
        for (const waiter of [...state.waiters]) waiter();
        return void res.writeHead(204).end();
      }
      const match = /^\/(openai|anthropic)\/([^/]+)\/([^/]+)\/v1\/(chat\/completions|responses|messages|embeddings)$/.exec(path);
      if (!match) return void res.writeHead(404).end();
      const [, api, urlMode, tag, endpoint] = match as unknown as [string, Api, string, string, string];
      let body: any;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        body = null;
      }
      received.set(tag, [...(received.get(tag) ?? []), { path, headers: req.headers, body }]);
      const mode = scripts.get(tag)?.shift() ?? urlMode;
      const status = /^status-(\d{3})$/.exec(mode);
      if (status) return fail(res, api, Number(status[1]), keyOf(req));
      if (mode === "hang") return;
      if (body?.stream === true) return void stream(res, api, endpoint, body, mode, tag);
      if (mode === "stall") return void res.writeHead(200, { "content-type": "application/json" });
      res.writeHead(200, { "content-type": "application/json", "openai-organization": "org-secret-fake" }).end(JSON.stringify(whole(api, body, endpoint)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    received: (tag) => received.get(tag) ?? [],
    script: (tag, modes) => void scripts.set(tag, [...modes]),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
