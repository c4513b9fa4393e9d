/**
 * A real OTLP/HTTP collector stand-in on 127.0.0.1 for the telemetry tests. It
 * records every body POSTed to /v1/traces (parsed JSON, on arrival) and answers
 * as its mode says: healthy (200), slow (after 10 s) or error (500). A body
 * not labelled application/json is refused (415), as a collector does.
 *
 * Control routes: POST /control/mode/<healthy|slow|error>, GET /control/received
 * (the bodies so far), POST /control/reset (healthy again, nothing received).
 * Leaving slow mode answers the requests it holds at once, so a test never
 * waits out the 10 s.
 *
 * Two more collectors stand apart from the first, so that tests pointing a
 * gateway at them are untouched by the modes and resets of tests running
 * beside them: /steady/v1/traces always answers at once (GET
 * /control/steady/received), /slow/v1/traces always after 10 s (GET
 * /control/slow/received, GET /control/slow/held for the answers held back
 * now, POST /control/slow/release to answer them).
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
  const steadyReceived: unknown[] = [];
  const slowReceived: unknown[] = [];
  const slowHeld = new Map<NodeJS.Timeout, ServerResponse>();

  const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  const release = (answers: Map<NodeJS.Timeout, ServerResponse>) => {
    for (const [timer, res] of answers) {
      clearTimeout(timer);
      json(res, 200, {});
    }
    answers.clear();
  };
  const releaseHeld = () => release(held);

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
      if (req.method === "GET" && path === "/control/steady/received") return json(res, 200, steadyReceived);
      if (req.method === "GET" && path === "/control/slow/received") return json(res, 200, slowReceived);
      if (req.method === "GET" && path === "/control/slow/held") return json(res, 200, { held: slowHeld.size });
      if (req.method === "POST" && path === "/control/slow/release") {
        release(slowHeld);
        return json(res, 200, {});
      }
      const slowCollector = path === "/slow/v1/traces";
      const steadyCollector = path === "/steady/v1/traces";
      if (req.method !== "POST" || (path !== "/v1/traces" && !slowCollector && !steadyCollector)) return json(res, 404, { error: "not found" });
      // As a real collector: OTLP/HTTP bodies are protobuf unless they say they are JSON.
      if (req.headers["content-type"] !== "application/json") return json(res, 415, { error: "unsupported media type" });
      const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      (slowCollector ? slowReceived : steadyCollector ? steadyReceived : received).push(body);
      if (steadyCollector) return json(res, 200, {});
      if (!slowCollector && mode === "error") return json(res, 500, { error: "collector failure" });
      if (!slowCollector && mode === "healthy") return json(res, 200, {});
      const answers = slowCollector ? slowHeld : held;
      const timer = setTimeout(() => {
        answers.delete(timer);
        json(res, 200, {});
      }, SLOW_MS);
      answers.set(timer, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
