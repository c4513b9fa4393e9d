/**
 * @module
 * What every bench script shares around its measurements: the options that
 * shape the rounds, the exit code, and printing a table or JSON.
 */
import { parseArgs } from "node:util";
import type { Via } from "./gateway.ts";

export interface RoundDefaults {
  rounds: number;
  requests: number;
  warmup: number;
  concurrency: number;
  budget: number;
}

export interface CommonSettings extends Omit<RoundDefaults, "budget"> {
  help: boolean;
  json: boolean;
  via: Via;
  budgetSeconds: number;
}

/** The help lines of the common options, to follow a script's own. */
export function commonHelp(defaults: RoundDefaults): string {
  return `  --rounds <n>       measured rounds, each variant once per round (default ${defaults.rounds})
  --requests <n>     requests per variant per round (default ${defaults.requests})
  --warmup <n>       requests per variant before the first round (default ${defaults.warmup})
  --concurrency <n>  requests in flight (default ${defaults.concurrency})
  --via <socket>     direct: the Worker's own socket, as workerd serve listens (default);
                     entry: through Miniflare's entry Worker, as dispatchFetch goes
  --budget <s>       start no round after this many seconds (default ${defaults.budget})
  --json             print the results as JSON on stdout (the table goes to stderr)
  -h, --help         show this help`;
}

/**
 * Reads the common options and the script's own: whole numbers (`counts`: name → [default, minimum])
 * and choices (`choices`: name → the allowed values, the first the default).
 */
export function parseOptions<N extends string, C extends string, V extends string>(
  defaults: RoundDefaults,
  counts: Record<N, [number, number]> = {} as Record<N, [number, number]>,
  choices: Record<C, readonly [V, ...V[]]> = {} as Record<C, readonly [V, ...V[]]>,
) {
  const text = (value: string | number) => ({ type: "string" as const, default: String(value) });
  const { values } = parseArgs({
    options: {
      rounds: text(defaults.rounds),
      requests: text(defaults.requests),
      warmup: text(defaults.warmup),
      concurrency: text(defaults.concurrency),
      budget: text(defaults.budget),
      ...Object.fromEntries(Object.entries<[number, number]>(counts).map(([name, [value]]) => [name, text(value)])),
      ...Object.fromEntries(Object.entries<readonly string[]>(choices).map(([name, allowed]) => [name, text(allowed[0])])),
      via: { type: "string", default: "direct" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const count = (name: string, min: number) => {
    const value = Number((values as Record<string, unknown>)[name]);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} takes a whole number of at least ${min}.`);
    return value;
  };
  if (values.via !== "direct" && values.via !== "entry") throw new Error("--via takes direct or entry.");
  const common: CommonSettings = {
    help: values.help === true,
    via: values.via,
    json: values.json === true,
    rounds: count("rounds", 1),
    requests: count("requests", 1),
    warmup: count("warmup", 0),
    concurrency: count("concurrency", 1),
    budgetSeconds: count("budget", 1),
  };
  const choice = (name: string, allowed: readonly string[]) => {
    const value = String((values as Record<string, unknown>)[name]);
    if (!allowed.includes(value)) throw new Error(`--${name} takes ${allowed.join(" or ")}.`);
    return value;
  };
  const ownCounts = Object.fromEntries(Object.entries<[number, number]>(counts).map(([name, [, min]]) => [name, count(name, min)])) as Record<N, number>;
  const ownChoices = Object.fromEntries(Object.entries<readonly string[]>(choices).map(([name, allowed]) => [name, choice(name, allowed)])) as Record<C, V>;
  return { ...common, ...ownCounts, ...ownChoices };
}

/** Seconds since the script started, for progress lines and the total. */
export function stopwatch() {
  const started = performance.now();
  return { started, seconds: () => Number(((performance.now() - started) / 1000).toFixed(1)) };
}

/** The table on stdout; with --json, the table on stderr and `data` as JSON on stdout, the table under `printed`. */
export function publish(json: boolean, printed: string, data: object) {
  if (!json) return console.log(printed);
  console.error(printed);
  console.log(JSON.stringify({ printed, ...data }, null, 2));
}

/** Reads the options, prints `help` when asked, else runs `main`; sets the exit code. An error is one line, never a stack. */
export async function runMain<S extends { help: boolean }>(help: string, parse: () => S, main: (settings: S) => Promise<number>) {
  try {
    const settings = parse();
    if (settings.help) console.log(help);
    process.exitCode = settings.help ? 0 : await main(settings);
  } catch (error) {
    console.error(`✘ ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
