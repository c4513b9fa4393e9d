/**
 * @module
 * Checks that the bindings the policies use are declared in wrangler.toml: a
 * misspelt Durable Object binding would otherwise only show at run time, as
 * a counter that cannot answer (and, with failMode open, no limit at all).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { BuildError, joinPointer } from "../errors.ts";
import type { PlannedPath } from "../emit/emit.ts";
import type { SourceSet } from "../spec/sources.ts";

interface Declared {
  kv: Set<string>;
  /** Durable Object binding name → class name. */
  durable: Map<string, string>;
  /** Analytics Engine dataset bindings. */
  datasets: Set<string>;
}

/** The project's wrangler.toml, parsed; undefined without one. */
export function readWranglerToml(root: string): Record<string, any> | undefined {
  const file = join(root, "wrangler.toml");
  if (!existsSync(file)) return undefined;
  try {
    return parse(readFileSync(file, "utf8")) as Record<string, any>;
  } catch {
    return undefined; // wrangler itself reports a broken wrangler.toml, better than we could
  }
}

/** The top level's bindings (what `npm run dev` and the tests use); undefined without a wrangler.toml. */
function declared(root: string): Declared | undefined {
  const config = readWranglerToml(root);
  if (!config) return undefined;
  const kv = new Set<string>((config.kv_namespaces ?? []).map((namespace: { binding: string }) => namespace.binding));
  const durable = new Map<string, string>(
    (config.durable_objects?.bindings ?? []).map((binding: { name: string; class_name: string }) => [binding.name, binding.class_name]),
  );
  const datasets = new Set<string>((config.analytics_engine_datasets ?? []).map((dataset: { binding: string }) => dataset.binding));
  return { kv, durable, datasets };
}

/** Warns about each binding a built-in instance needs that wrangler.toml lacks (or binds to another class). */
export function checkBindings(root: string, paths: PlannedPath[], sources: SourceSet): BuildError[] {
  const config = declared(root);
  if (!config) return [];
  const warnings = new Map<string, BuildError>();
  const warn = (pointer: string, message: string, hint: string) => {
    if (!warnings.has(message)) warnings.set(message, new BuildError(sources.locate(pointer), message, hint, "warning"));
  };
  for (const op of paths.flatMap((path) => path.operations)) {
    for (const use of [...op.inbound, op.handler, ...op.outbound]) {
      for (const durable of use.builtin?.durableObjects ?? []) {
        const binding = durable.binding(use.options);
        if (binding === undefined) continue;
        const className = config.durable.get(binding);
        if (className === durable.className || (durable.orDataset && config.datasets.has(binding))) continue;
        warn(
          use.where,
          `The ${use.use} ${use.builtin!.kind} "${use.name}" uses the Durable Object binding ${binding}, which wrangler.toml ${className ? `binds to ${className}, not ${durable.className}` : "does not declare"}: ${durable.consequence ?? "its counter will not answer"}.`,
          `Add to wrangler.toml:\n${durableStanza(binding, durable.className)}\n(or fix the binding option).`,
        );
      }
      for (const need of use.builtin?.kv?.(use) ?? []) {
        if (!config.kv.has(need.binding))
          warn(
            joinPointer("", ...need.at),
            need.consequence,
            `Add to wrangler.toml:\n[[kv_namespaces]]\nbinding = "${need.binding}"\nid = "<the namespace id from npx wrangler kv namespace create ${need.binding}>"`,
          );
      }
    }
  }
  return [...warnings.values()];
}

/** The wrangler.toml lines that bind a Durable Object class, with the migration that creates it. */
function durableStanza(binding: string, className: string): string {
  return `[[durable_objects.bindings]]\nname = "${binding}"\nclass_name = "${className}"\n\n[[migrations]]\ntag = "<a new tag, e.g. add-${className.toLowerCase()}>"\nnew_sqlite_classes = ["${className}"]`;
}
