/**
 * Counts, inside workerd, the calls a piece of code makes to the Web APIs
 * that cross from JavaScript into the runtime's C++ (every Headers method, a
 * Request's `headers` and `url`), the objects it makes that the runtime backs
 * (Request, Response, Headers, URL, AbortController), and the per-request
 * bookkeeping a gateway should not need (WeakMap entries, timers, random
 * draws, clock reads). Counts depend on the code path only, never on time or
 * load, so a test can hold them to a figure.
 */

export type Counts = Record<string, number>;

type Restore = () => void;

/** The property's descriptor, wherever in the prototype chain it is, and whether `target` holds it itself. */
function findProperty(target: object, name: string | symbol): { descriptor: PropertyDescriptor; own: boolean } | undefined {
  for (let holder: object | null = target; holder; holder = Object.getPrototypeOf(holder)) {
    const descriptor = Object.getOwnPropertyDescriptor(holder, name);
    if (descriptor) return { descriptor, own: holder === target };
  }
  return undefined;
}

function countMethods(target: object, label: string, names: Array<string | symbol>, counts: Counts): Restore[] {
  return names.flatMap((name) => {
    const found = findProperty(target, name);
    if (!found) return [];
    const { descriptor, own } = found;
    const key = `${label}.${String(name).replace(/^Symbol\((.*)\)$/, "[$1]")}`;
    const counted = (run: (self: unknown, args: unknown[]) => unknown) =>
      function (this: unknown, ...args: unknown[]) {
        counts[key] = (counts[key] ?? 0) + 1;
        return run(this, args);
      };
    const replaced =
      typeof descriptor.value === "function"
        ? { ...descriptor, value: counted((self, args) => (descriptor.value as (...args: unknown[]) => unknown).apply(self, args)) }
        : descriptor.get
          ? { ...descriptor, get: counted((self) => descriptor.get!.call(self)) }
          : undefined;
    if (!replaced) return [];
    Object.defineProperty(target, name, { ...replaced, configurable: true });
    return [() => (own ? Object.defineProperty(target, name, descriptor) : Reflect.deleteProperty(target, name))];
  });
}

function countConstructions(name: "Request" | "Response" | "Headers" | "URL" | "AbortController", counts: Counts): Restore {
  const global = globalThis as unknown as Record<string, unknown>;
  const original = global[name] as new (...args: unknown[]) => object;
  global[name] = new Proxy(original, {
    construct(target, args, newTarget) {
      counts[`new ${name}`] = (counts[`new ${name}`] ?? 0) + 1;
      return Reflect.construct(target, args, newTarget === global[name] ? target : newTarget);
    },
  });
  return () => void (global[name] = original);
}

const HEADERS_METHODS: Array<string | symbol> = [
  "get",
  "getAll",
  "getSetCookie",
  "has",
  "set",
  "append",
  "delete",
  "forEach",
  "entries",
  "keys",
  "values",
  Symbol.iterator,
];

/** Runs `work` with every call counted; the APIs are as they were once it settles. */
export async function countCalls<T>(work: () => Promise<T>): Promise<{ result: T; counts: Counts }> {
  const counts: Counts = {};
  const restores: Restore[] = [
    ...countMethods(Headers.prototype, "Headers", HEADERS_METHODS, counts),
    ...countMethods(Request.prototype, "Request", ["headers", "url", "method", "signal"], counts),
    ...countMethods(Response.prototype, "Response", ["headers", "status"], counts),
    ...countMethods(WeakMap.prototype, "WeakMap", ["set"], counts),
    ...countMethods(Date, "Date", ["now"], counts),
    ...countMethods(crypto, "crypto", ["randomUUID", "getRandomValues"], counts),
    ...countMethods(globalThis, "globalThis", ["setTimeout"], counts),
    ...(["Request", "Response", "Headers", "URL", "AbortController"] as const).map((name) => countConstructions(name, counts)),
  ];
  try {
    return { result: await work(), counts };
  } finally {
    for (const restore of restores.reverse()) restore();
  }
}

/** Calls of Headers methods, Headers made, and reads of a message's `headers`: every one crosses into the runtime. */
export function headersOperations(counts: Counts): number {
  return Object.entries(counts)
    .filter(([name]) => name.startsWith("Headers.") || name === "new Headers" || name.endsWith(".headers"))
    .reduce((sum, [, count]) => sum + count, 0);
}
