/**
 * Global setup of the workerd tests (runs in Node): compiles the project's own
 * gateway (openapi/ at the root, for test/api), the example and the test
 * gateways, and starts the local upstream, identity server and OTLP collector.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { compile } from "../src/compiler/compile.ts";
import { startAuthServer } from "./support/auth-server.ts";
import { startLlmProviders } from "./support/llm-providers.ts";
import { startOtlpReceiver } from "./support/otlp-receiver.ts";
import { closedPort, startUpstream } from "./support/upstream.ts";
import { startWebSocketEcho } from "./support/websocket-echo.ts";

const root = fileURLToPath(new URL("..", import.meta.url).href);
const generated = join(root, "test", ".generated");

/** Test gateways: test/fixtures/gateways/<name> (or a real document served by mock). */
const GATEWAYS: Array<{ name: string; root: string; spec?: string; defaultHandler?: string }> = [
  { name: "pipeline", root: join(root, "test/fixtures/gateways/pipeline") },
  { name: "forward", root: join(root, "test/fixtures/gateways/forward") },
  { name: "upstreams", root: join(root, "test/fixtures/gateways/upstreams") },
  { name: "aggregate", root: join(root, "test/fixtures/gateways/aggregate") },
  { name: "edge", root: join(root, "test/fixtures/gateways/edge") },
  { name: "auth", root: join(root, "test/fixtures/gateways/auth") },
  { name: "validation", root: join(root, "test/fixtures/gateways/validation") },
  { name: "limits", root: join(root, "test/fixtures/gateways/limits") },
  { name: "approximate", root: join(root, "test/fixtures/gateways/approximate") },
  { name: "login", root: join(root, "test/fixtures/gateways/login") },
  { name: "shadow", root: join(root, "test/fixtures/gateways/shadow") },
  { name: "quota", root: join(root, "test/fixtures/gateways/quota") },
  { name: "usage", root: join(root, "test/fixtures/gateways/usage") },
  { name: "order", root: join(root, "test/fixtures/gateways/order") },
  { name: "cache", root: join(root, "test/fixtures/gateways/cache") },
  { name: "fuzz", root: join(root, "test/fixtures/gateways/fuzz") },
  { name: "faults", root: join(root, "test/fixtures/gateways/faults") },
  { name: "telemetry", root: join(root, "test/fixtures/gateways/telemetry") },
  { name: "request-cost", root: join(root, "test/fixtures/gateways/request-cost") },
  { name: "websocket", root: join(root, "test/fixtures/gateways/websocket") },
  { name: "llm", root: join(root, "test/fixtures/gateways/llm") },
  { name: "example", root: join(root, "test/fixtures/example") },
  { name: "museum", root: join(root, "test/fixtures/specs"), spec: "redocly-museum/openapi.yaml", defaultHandler: "mock" },
];

async function build(options: Parameters<typeof compile>[0]) {
  const result = await compile(options);
  if (result.errors.length > 0) {
    throw new Error(`${options.root} does not build:\n${result.errors.map((e) => e.format()).join("\n")}`);
  }
}

export default async function setup(project: TestProject) {
  await build({ root });
  for (const gateway of GATEWAYS) {
    await build({ root: gateway.root, spec: gateway.spec, defaultHandler: gateway.defaultHandler, outDir: join(generated, gateway.name) });
  }
  const upstream = await startUpstream();
  project.provide("upstreamPort", upstream.port);
  project.provide("closedPort", await closedPort());
  const auth = await startAuthServer();
  project.provide("authPort", auth.port);
  project.provide("testKeys", auth.keys);
  const otlp = await startOtlpReceiver();
  project.provide("otlpPort", otlp.port);
  const echo = await startWebSocketEcho();
  project.provide("websocketPort", echo.port);
  const llmProviders = await startLlmProviders();
  project.provide("llmProvidersPort", llmProviders.port);
  return async () => {
    await new Promise<void>((resolve) => upstream.server.close(() => resolve()));
    await new Promise<void>((resolve) => auth.server.close(() => resolve()));
    // A request the collector holds in slow mode would keep close() waiting.
    otlp.server.closeAllConnections();
    await new Promise<void>((resolve) => otlp.server.close(() => resolve()));
    echo.server.closeAllConnections();
    await new Promise<void>((resolve) => echo.server.close(() => resolve()));
    await llmProviders.close();
  };
}
