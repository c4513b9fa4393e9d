/**
 * The real `npm run dev` in a fresh copy of the project (no .portico/, no dist/)
 * whose spec is broken from the start: the server must come up all the same,
 * answer 503 with the located build errors, and serve the gateway once the spec is fixed.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevServer, waitFor, type DevServer } from "../support/dev-server.ts";

let dev: DevServer;
let good: string;
const specFile = () => join(dev.project, "openapi/openapi.yaml");

const until = <T>(what: string, probe: () => Promise<T | undefined>, ms: number) => waitFor(dev, what, probe, ms);

beforeAll(async () => {
  dev = await startDevServer({
    prepare: (copy) => {
      const file = join(copy, "openapi/openapi.yaml");
      good = readFileSync(file, "utf8");
      writeFileSync(file, good.replace("operationId: getTicket\n", "operationId: buyTicket\n"));
    },
    // Any answer: the gateway is up, serving the build errors.
    ready: async (base) => (await fetch(`${base}/v1/exhibits`)).status > 0,
  });
}, 120_000);

afterAll(() => dev?.stop());

describe("npm run dev on a fresh project that does not build", () => {
  it("stays up and answers 503 with the located errors, then serves the gateway once the spec is fixed", { timeout: 90_000 }, async () => {
    const response = await fetch(`${dev.base}/v1/exhibits`);
    expect(response.status).toBe(503);
    const { errors } = (await response.json()) as { errors: Array<{ pointer: string }> };
    expect(errors.map((e) => e.pointer)).toEqual(["/paths/~1tickets~1{ticketId}/get/operationId"]);
    // Until the portal is built, /docs says it comes once the project builds.
    expect(await (await fetch(`${dev.base}/docs/`)).text()).toContain("The portal appears here once the project builds.");
    writeFileSync(specFile(), good);
    await until("recovery", async () => ((await fetch(`${dev.base}/v1/exhibits`)).status === 200 ? true : undefined), 60_000);
    await until("the portal", async () => ((await (await fetch(`${dev.base}/docs/`)).text()).includes("appears here once") ? undefined : true), 30_000);
  });

  it("does not print wrangler's failed lookup of request.cf data when offline", () => {
    expect(dev.output()).not.toContain("ENOTFOUND");
  });
});
