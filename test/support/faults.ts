/**
 * Faults injected in front of real bindings, for the workerd tests: the
 * objects and the namespace behind them keep their own logic, only some calls
 * fail first, as the platform's calls can.
 */
import { vi } from "vitest";

/**
 * How a Durable Object call fails, with the properties the platform gives its
 * errors: `retryable` (a transient failure, safe to retry when the call is
 * idempotent), `overloaded` (never retry; marked retryable too, the worst case
 * for a caller that checks only that), `remote` (thrown by the object's own
 * code), `internal` (no property at all), and `lost-answer`: the call reaches
 * the object and is counted, then its answer is lost with a retryable error.
 */
export type DurableFault = "retryable" | "overloaded" | "remote" | "internal" | "lost-answer";

function durableError(fault: DurableFault): Error {
  switch (fault) {
    case "retryable":
    case "lost-answer":
      return Object.assign(new Error("Network connection lost."), { retryable: true });
    case "overloaded":
      return Object.assign(new Error("Durable Object is overloaded. Too many requests queued."), { retryable: true, overloaded: true });
    case "remote":
      return Object.assign(new Error("Durable Object storage operation exceeded timeout."), { remote: true });
    case "internal":
      return new Error("internal error");
  }
}

export interface FaultyNamespace<T extends Rpc.DurableObjectBranded | undefined> {
  namespace: DurableObjectNamespace<T>;
  /** Method calls made through the namespace's stubs, failed ones included. */
  calls(): number;
}

/** A namespace whose stubs' method calls fail with `fault` the first `times` calls (every call by default), then reach the real object. */
export function faultyNamespace<T extends Rpc.DurableObjectBranded | undefined>(
  real: DurableObjectNamespace<T>,
  fault: DurableFault,
  times = Infinity,
): FaultyNamespace<T> {
  let calls = 0;
  const stub = (target: DurableObjectStub<T>) =>
    new Proxy(target, {
      get(object, property) {
        if (typeof property !== "string" || property === "id" || property === "name" || property === "then") return Reflect.get(object, property);
        return async (...args: unknown[]) => {
          const failing = calls++ < times;
          if (!failing) return (object as any)[property](...args);
          if (fault === "lost-answer") await (object as any)[property](...args);
          throw durableError(fault);
        };
      },
    });
  const namespace = {
    idFromName: (name: string) => real.idFromName(name),
    get: (id: DurableObjectId) => stub(real.get(id)),
  } as unknown as DurableObjectNamespace<T>;
  return { namespace, calls: () => calls };
}

/** A KV namespace whose reads fail, or never settle; writes reach the real one. */
export function faultyKv(real: KVNamespace, fault: "reject" | "hang"): { namespace: KVNamespace; reads(): number } {
  let reads = 0;
  const get = () => {
    reads++;
    return fault === "hang" ? new Promise(() => {}) : Promise.reject(new Error("KV GET failed: 500 Internal Server Error"));
  };
  const namespace = new Proxy(real, {
    get(kv, property) {
      if (property === "get") return get;
      const value: unknown = Reflect.get(kv, property);
      return typeof value === "function" ? value.bind(kv) : value;
    },
  });
  return { namespace, reads: () => reads };
}

/** The gateway's JSON log lines written while `run` runs, parsed; console output is kept out of the test's. */
export async function logsOf(run: () => Promise<unknown>): Promise<Array<{ level: string; message: string } & Record<string, unknown>>> {
  const lines: string[] = [];
  const spies = (["error", "warn", "log", "debug"] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((line: unknown) => void lines.push(String(line))),
  );
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line)];
    } catch {
      return [{ level: "raw", message: line }];
    }
  });
}
