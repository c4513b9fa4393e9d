/**
 * @module
 * The telemetry bench's variants: one document, bench/gateways/telemetry, written
 * once per variant with only `x-portico.telemetry` changed, and what one request
 * of each must show before anything is measured.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { Client, Reply, RequestShape } from "./load.ts";
import type { Seen, Tally } from "./telemetry-tally.ts";
import type { TelemetryExtension } from "../../src/compiler/plan/telemetry.ts";

const BASE_DOCUMENT = fileURLToPath(new URL("../gateways/telemetry/openapi/openapi.yaml", import.meta.url).href);

export const VARIANTS = ["none", "access log", "traces sample 0", "traces sample 1"] as const;
export type Variant = (typeof VARIANTS)[number];

const TRACES_URL = "${env.OTLP_TRACES_URL}";

/** Each variant's `x-portico.telemetry`; `access log` has none, the default. */
const TELEMETRY: Record<Variant, TelemetryExtension | undefined> = {
  none: { accessLog: false, serverTiming: "off" },
  "access log": undefined,
  "traces sample 0": { traces: { otlp: TRACES_URL, sample: 0 } },
  "traces sample 1": { traces: { otlp: TRACES_URL, sample: 1 } },
};

/** workerd service names. */
export const SERVICE: Record<Variant, string> = { none: "none", "access log": "access-log", "traces sample 0": "traces-0", "traces sample 1": "traces-1" };

export const REQUEST: RequestShape = { method: "GET", target: "/v1/items", headers: { host: "bench.example", accept: "application/json" } };

/** The base document with the variant's telemetry, as a project of its own under `work`; returns its root. */
export function writeProject(work: string, variant: Variant): string {
  const document = parse(readFileSync(BASE_DOCUMENT, "utf8")) as Record<string, any>;
  const telemetry = TELEMETRY[variant];
  if (telemetry) document["x-portico"] = { ...document["x-portico"], telemetry };
  const root = join(work, SERVICE[variant], "project");
  mkdirSync(join(root, "openapi"), { recursive: true });
  writeFileSync(join(root, "openapi", "openapi.json"), JSON.stringify(document, null, 2));
  return root;
}

interface Observed {
  reply: Reply;
  seen: Seen;
}

const sampledFlag = (reply: Reply) => String(reply.headers["traceresponse"] ?? "").slice(-2);
const accessLine = ({ seen }: Observed) => {
  const line = JSON.parse(seen.lastLine ?? "{}") as Record<string, unknown>;
  return line.message === "request" && line.route === "/items" && line.status === 200;
};

/** What one request of each variant must show: a claim that fails stops the run before anything is measured. */
const CLAIMS: Record<Variant, Array<[what: string, holds: (observed: Observed) => boolean]>> = {
  none: [
    ["no log line", ({ seen }) => seen.lines === 0],
    ["no span sent", ({ seen }) => seen.spans === 0],
  ],
  "access log": [
    ["one access line", (observed) => observed.seen.lines === 1 && accessLine(observed)],
    ["no span sent", ({ seen }) => seen.spans === 0],
  ],
  "traces sample 0": [
    ["one access line", (observed) => observed.seen.lines === 1 && accessLine(observed)],
    ["not sampled, no span sent", ({ reply, seen }) => sampledFlag(reply) === "00" && seen.spans === 0],
  ],
  "traces sample 1": [
    ["one access line", (observed) => observed.seen.lines === 1 && accessLine(observed)],
    ["sampled, its server span received", ({ reply, seen }) => sampledFlag(reply) === "01" && seen.spanNames.includes("GET /items")],
  ],
};

/** Sends one request of each variant and tests its claims; returns the failures, and the names of the spans a sampled request yields. */
export async function checkVariants(clientOf: (variant: Variant) => Client, tally: Tally) {
  const failures: string[] = [];
  let claims = 0;
  let sampledSpans: string[] = [];
  for (const variant of VARIANTS) {
    const reply = await clientOf(variant).send(REQUEST);
    const observed = { reply, seen: await tally.settle() };
    if (variant === "traces sample 1") sampledSpans = observed.seen.spanNames;
    const own: Array<[string, (o: Observed) => boolean]> = [
      ["200 with the mock's page", () => reply.status === 200 && Array.isArray((JSON.parse(reply.body) as { items?: unknown }).items)],
      ["no Server-Timing", () => reply.headers["server-timing"] === undefined],
      ...CLAIMS[variant],
    ];
    for (const [what, holds] of own) {
      claims++;
      let holding = false;
      try {
        holding = holds(observed);
      } catch {
        // A body or a line that is not JSON fails the claim.
      }
      if (!holding) failures.push(`${variant}, ${what}: got ${reply.status}, ${observed.seen.lines} line(s), ${observed.seen.spans} span(s)`);
    }
  }
  return { failures, claims, sampledSpans };
}
