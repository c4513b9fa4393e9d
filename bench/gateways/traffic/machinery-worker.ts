/**
 * @module
 * Times forward-machinery.ts inside the isolate. `GET /?iterations=N&repeats=R&warmup=W`
 * runs W requests' bookkeeping untimed (for the JIT), then R timings of N, and
 * answers with each timing's span and that of the I/O around it, in ms.
 *
 * Why across I/O: on Cloudflare, performance.now() and Date.now() stand still
 * while code runs and move only when the isolate does I/O (a Spectre
 * mitigation). So each timing starts and ends just after an awaited
 * `scheduler.wait(0)`, which is I/O to the runtime: the clock then reads the
 * loop's time plus one wait's, and an empty timing (two waits in a row) gives
 * the wait's, which the bench subtracts. Local workerd moves the clock during
 * code too, but in whole milliseconds, so N is large enough (100,000 by
 * default) for the span to be tens of milliseconds.
 */
import { forwardMachinery } from "./forward-machinery.ts";

/** Made on the first request: the request context draws a random trace id, which workerd refuses at start-up. */
let machinery: ReturnType<typeof forwardMachinery> | undefined;

async function afterIo(): Promise<number> {
  await scheduler.wait(0);
  return performance.now();
}

const count = (url: URL, name: string, fallback: number) => {
  const value = Number(url.searchParams.get(name) ?? fallback);
  return Number.isInteger(value) && value >= 0 ? value : fallback;
};

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const iterations = Math.max(1, count(url, "iterations", 100_000));
    const repeats = Math.max(1, count(url, "repeats", 5));
    machinery ??= forwardMachinery();
    machinery.run(count(url, "warmup", iterations));
    const spansMs: number[] = [];
    const waitsMs: number[] = [];
    let clockMovedDuringCode = false;
    for (let r = 0; r < repeats; r++) {
      const before = await afterIo();
      waitsMs.push((await afterIo()) - before);
      const start = await afterIo();
      machinery.run(iterations);
      clockMovedDuringCode ||= performance.now() !== start;
      spansMs.push((await afterIo()) - start);
    }
    return Response.json({ iterations, spansMs, waitsMs, clockMovedDuringCode, chosen: machinery.run(0) });
  },
};
