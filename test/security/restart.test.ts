/**
 * B. Rate limits across a restart (R5): a second `npm run dev` of the same
 * document, stopped mid-window and started again on the same local state, so
 * every Durable Object is gone and reloads its counters from storage.
 */
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../support/dev-server.ts";
import { suite, tag, upstreamSaw } from "./support/gateway.ts";
import { hostileProject } from "./support/hostile-project.ts";

const folder = hostileProject(suite.vars);
let dev: DevServer | undefined;

/** Stops the dev server and waits until its port is closed, so nothing of it holds the state any more. */
async function stop(server: DevServer): Promise<void> {
  server.stop();
  for (
    let i = 0;
    i < 100 &&
    (await fetch(`${server.base}/openapi.json`).then(
      () => true,
      () => false,
    ));
    i++
  )
    await sleep(100);
}

afterAll(async () => {
  if (dev) await stop(dev);
  rmSync(folder, { recursive: true, force: true });
});

describe("B. Rate limits: restart", () => {
  it("R5: 3 of 5 used, then `npm run dev` restarted on the same state → exactly 2 more admitted, 5 upstream hits in all", async () => {
    const caseTag = tag("R5");
    const headers = { "x-bucket": randomUUID(), "x-case": caseTag };
    const call = async () => (await fetch(`${dev!.base}/v1/limited/five`, { headers })).status;
    dev = await startDevServer({ in: folder });
    const before = [await call(), await call(), await call()];
    await stop(dev);
    dev = await startDevServer({ in: folder });
    const after = [];
    for (let i = 0; i < 5; i++) after.push(await call());
    expect([before, after]).toEqual([
      [200, 200, 200],
      [200, 200, 429, 429, 429],
    ]);
    expect(await upstreamSaw(caseTag)).toHaveLength(5);
  });
});
