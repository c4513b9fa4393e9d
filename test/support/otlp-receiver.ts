/**
 * A real OTLP/HTTP collector stand-in on 127.0.0.1 for the telemetry tests. It
 * records every body POSTed to /v1/traces (parsed JSON, on arrival) and answers
 * as its mode says: healthy (200), slow (after 10 s) or error (500). A body
 * not labelled application/json is refused (415), as a collector does.
 *
 * Control routes: POST /control/mode/<healthy|slow|error>, GET /control/received
 * (the bodies so far), GET /control/held (answers held back now), POST
 * /control/reset (healthy again, nothing received). POST /slow/v1/traces is
 * always slow.
 * Leaving slow mode answers the requests it holds at once, so a test never
 * waits out the 10 s.
 */
import { createServer, type ServerResponse, type Server } from "node:http";
import type { AddressInfo } from "node:net";

type Mode = "healthy" | "slow" | "error";

const SLOW_MS = 10_000;

export async function startOtlpReceiver(): Promise<{ server: Server; port: number }> {
  let mode: Mode = "healthy";
  let received: unknown[] = [];
  /** Answers held in slow mode, by their timers. */
  const held = new Map<NodeJS.Timeout, ServerResponse>();

  const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  const releaseHeld = () => {
    for (const [timer, res] of held) {
      clearTimeout(timer);
      json(res, 200, {});
    }
    held.clear();
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const modeChange = /^\/control\/mode\/(healthy|slow|error)$/.exec(path);
      if (req.method === "POST" && modeChange) {
        mode = modeChange[1] as Mode;
        if (mode !== "slow") releaseHeld();
        return json(res, 200, { mode });
      }
      if (req.method === "POST" && path === "/control/reset") {
        mode = "healthy";
        releaseHeld();
        received = [];
        return json(res, 200, {});
      }
      if (req.method === "GET" && path === "/control/received") return json(res, 200, received);
      if (req.method === "GET" && path === "/control/held") return json(res, 200, { held: held.size });
      // /slow/v1/traces is slow whatever the mode, for a gateway pointed at a slow collector beside other tests.
      const alwaysSlow = path === "/slow/v1/traces";
      if (req.method !== "POST" || (path !== "/v1/traces" && !alwaysSlow)) return json(res, 404, { error: "not found" });
      // As a real collector: OTLP/HTTP bodies are protobuf unless they say they are JSON.
      if (req.headers["content-type"] !== "application/json") return json(res, 415, { error: "unsupported media type" });
      received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      if (mode === "error" && !alwaysSlow) return json(res, 500, { error: "collector failure" });
      if (mode === "healthy" && !alwaysSlow) return json(res, 200, {});
      const timer = setTimeout(() => {
        held.delete(timer);
        json(res, 200, {});
      }, SLOW_MS);
      held.set(timer, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
