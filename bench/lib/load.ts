/**
 * @module
 * A small closed-loop load generator: real HTTP/1.1 on 127.0.0.1 over
 * keep-alive connections, a fixed number of requests in flight, each one timed
 * from the first byte written to the last byte of the response read.
 */
import { Agent, request } from "node:http";

export interface RequestShape {
  method: string;
  /** Path and query. */
  target: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Reply {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Batch {
  /** Per-request latency, µs, in completion order. */
  latencies: Float64Array;
  wallMs: number;
  /** How many responses had each status; 0 for requests that got no response. */
  statuses: Map<number, number>;
}

/** Keep-alive connections to one origin, at most `connections` of them. */
export function createClient(origin: URL, connections: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const prepared = new WeakMap<RequestShape, { headers: Record<string, string>; body?: Buffer }>();

  function wire(shape: RequestShape) {
    let ready = prepared.get(shape);
    if (!ready) {
      const body = shape.body === undefined ? undefined : Buffer.from(shape.body);
      const headers = body ? { ...shape.headers, "content-length": String(body.length) } : shape.headers;
      prepared.set(shape, (ready = { headers, body }));
    }
    return ready;
  }

  function send(shape: RequestShape, keepBody: boolean): Promise<Reply> {
    const { headers, body } = wire(shape);
    return new Promise((resolve, reject) => {
      const outgoing = request({ host: origin.hostname, port: origin.port, method: shape.method, path: shape.target, headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        if (keepBody) response.on("data", (chunk: Buffer) => chunks.push(chunk));
        else response.resume();
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      });
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  }

  /** `count` requests, `concurrency` at a time; with several shapes, each request takes the next one in turn. */
  async function batch(shapes: RequestShape | readonly RequestShape[], count: number, concurrency: number): Promise<Batch> {
    const turn = Array.isArray(shapes) ? (shapes as readonly RequestShape[]) : [shapes as RequestShape];
    const latencies = new Float64Array(count);
    const statuses = new Map<number, number>();
    let started = 0;
    let done = 0;
    const worker = async () => {
      while (started < count) {
        const shape = turn[started++ % turn.length];
        const begin = performance.now();
        // A request that gets no response at all counts as status 0 rather than ending the batch.
        const status = await send(shape, false).then(
          (reply) => reply.status,
          () => 0,
        );
        latencies[done++] = (performance.now() - begin) * 1000;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    const begin = performance.now();
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    return { latencies, wallMs: performance.now() - begin, statuses };
  }

  return { send: (shape: RequestShape) => send(shape, true), batch, close: () => agent.destroy() };
}

/** The q-quantile (0..1) of ascending values, nearest rank. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function median(values: number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export type Client = ReturnType<typeof createClient>;

/** Every status of the batch other than `expected`, as "n × status", or undefined when there is none. */
export function unexpectedStatuses(batch: Batch, expected: number): string | undefined {
  const others = [...batch.statuses].filter(([status]) => status !== expected);
  return others.length === 0 ? undefined : others.map(([status, n]) => `${n} × ${status}`).join(", ");
}
