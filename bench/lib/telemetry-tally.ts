/**
 * @module
 * What the gateway's telemetry put out, counted once a batch is over: the lines
 * workerd printed on its stdout (the access log; console.log writes one line per
 * call), which go to a file so that nothing reads them while requests are timed,
 * and the spans a real OTLP/HTTP receiver on 127.0.0.1 was sent. Both arrive
 * after the responses they describe (spans are exported in the background), so
 * `settle` waits until neither moves before counting them.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { startOtlpReceiver } from "../../test/support/otlp-receiver.ts";

const NEWLINE = 0x0a;
const POLL_MS = 100;
const SETTLE_TIMEOUT_MS = 15_000;

export interface Seen {
  /** Lines printed since the last settle. */
  lines: number;
  /** The last of them. */
  lastLine?: string;
  /** Spans received since the last settle. */
  spans: number;
  spanNames: string[];
}

interface ExportBody {
  resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<{ name?: string }> }> }>;
}

const spansOf = (bodies: ExportBody[]) =>
  bodies.flatMap((body) => (body.resourceSpans ?? []).flatMap((r) => (r.scopeSpans ?? []).flatMap((s) => s.spans ?? [])));

/** Lines appended to a file since the last call, counted in chunks; the last complete one kept. */
function lineCounter(file: string) {
  const fd = openSync(file, "r");
  const buffer = Buffer.alloc(1 << 20);
  let offset = 0;
  let lines = 0;
  let tail = Buffer.alloc(0);
  let lastLine: string | undefined;
  const read = () => {
    for (let bytes = readSync(fd, buffer, 0, buffer.length, offset); bytes > 0; bytes = readSync(fd, buffer, 0, buffer.length, offset)) {
      offset += bytes;
      const chunk = Buffer.concat([tail, buffer.subarray(0, bytes)]);
      let start = 0;
      for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) {
        lines++;
        if (i > start) lastLine = chunk.toString("utf8", start, i);
        start = i + 1;
      }
      tail = Buffer.from(chunk.subarray(start));
    }
    return lines;
  };
  const take = () => {
    const seen = { lines, lastLine };
    lines = 0;
    lastLine = undefined;
    return seen;
  };
  return { read, take, close: () => closeSync(fd) };
}

/** Starts the receiver and opens `stdoutFile` (created empty) for workerd's stdout. */
export async function startTally(stdoutFile: string) {
  const stdout = openSync(stdoutFile, "w");
  const printed = lineCounter(stdoutFile);
  const receiver = await startOtlpReceiver();
  const control = `http://127.0.0.1:${receiver.port}/control`;
  const received = async () => spansOf((await (await fetch(`${control}/received`)).json()) as ExportBody[]);

  /** Waits until no line and no span has come in for one poll, then says what came since the last settle. */
  async function settle(): Promise<Seen> {
    const until = performance.now() + SETTLE_TIMEOUT_MS;
    let before = { lines: -1, spans: -1 };
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const spans = await received();
      const now = { lines: printed.read(), spans: spans.length };
      if (now.lines === before.lines && now.spans === before.spans) {
        await fetch(`${control}/reset`, { method: "POST" }).then((response) => response.body?.cancel());
        return { ...printed.take(), spans: spans.length, spanNames: spans.map((span) => String(span.name)) };
      }
      if (performance.now() > until) throw new Error(`workerd's output or the spans sent were still coming ${SETTLE_TIMEOUT_MS / 1000} s after the batch.`);
      before = now;
    }
  }

  return {
    /** The collector's traces endpoint. */
    tracesUrl: `http://127.0.0.1:${receiver.port}/v1/traces`,
    /** For workerd's stdout. */
    stdout,
    settle,
    close: () =>
      new Promise<void>((resolve) => {
        printed.close();
        closeSync(stdout);
        receiver.server.closeAllConnections();
        receiver.server.close(() => resolve());
      }),
  };
}

export type Tally = Awaited<ReturnType<typeof startTally>>;
