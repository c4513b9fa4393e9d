/**
 * @module
 * Checks that the bindings the policies use are declared in wrangler.toml: a
 * misspelt Durable Object binding would otherwise only show at run time, as
 * a counter that cannot answer (and, with failMode open, no limit at all).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { BuildError, joinPointer } from "./errors.ts";
import type { PlannedPath } from "./emit.ts";
import type { SourceSet } from "./sources.ts";

interface Declared {
  kv: Set<string>;
  /** Durable Object binding name → class name. */
  durable: Map<string, string>;
}

/** The top level's bindings (what `npm run dev` and the tests use); undefined without a wrangler.toml. */
function declared(root: string): Declared | undefined {
  const file = join(root, "wrangler.toml");
  if (!existsSync(file)) return undefined;
  let config: Record<string, any>;
  try {
    config = parse(readFileSync(file, "utf8")) as Record<string, any>;
  } catch {
    return undefined; // wrangler itself reports a broken wrangler.toml, better than we could
  }
  const kv = new Set<string>((config.kv_namespaces ?? []).map((namespace: { binding: string }) => namespace.binding));
  const durable = new Map<string, string>((config.durable_objects?.bindings ?? []).map((binding: { name: string; class_name: string }) => [binding.name, binding.class_name]));
  return { kv, durable };
}

const DURABLE_CLASSES: Record<string, { binding: string; className: string }> = {
  "rate-limit": { binding: "RATE_LIMITER", className: "RateLimiter" },
  quota: { binding: "QUOTA", className: "QuotaCounter" },
};

export function checkBindings(root: string, paths: PlannedPath[], sources: SourceSet): BuildError[] {
  const config = declared(root);
  if (!config) return [];
  const warnings = new Map<string, BuildError>();
  const warn = (pointer: string, message: string, hint: string) => {
    if (!warnings.has(message)) warnings.set(message, new BuildError(sources.locate(pointer), message, hint, "warning"));
  };
  for (const op of paths.flatMap((path) => path.operations)) {
    for (const use of [...op.inbound, ...op.outbound]) {
      const durable = DURABLE_CLASSES[use.use];
      if (durable) {
        const binding = (use.options.binding as string | undefined) ?? durable.binding;
        const className = config.durable.get(binding);
        if (className !== durable.className) {
          warn(use.where ?? "/x-portico", `The ${use.use} policy "${use.name}" uses the Durable Object binding ${binding}, which wrangler.toml ${className ? `binds to ${className}, not ${durable.className}` : "does not declare"}: its counter will not answer.`, `Declare [[durable_objects.bindings]] name = "${binding}", class_name = "${durable.className}" in wrangler.toml (with a migration), or fix the binding option.`);
        }
      }
      if (use.use === "authenticate") {
        const schemes = (use.options as { schemes: Record<string, { type: string; binding?: string }> }).schemes;
        for (const [name, scheme] of Object.entries(schemes)) {
          if ((scheme.type === "apiKey" || scheme.type === "basic") && scheme.binding && !config.kv.has(scheme.binding)) {
            warn(joinPointer("/components/securitySchemes", name), `The security scheme "${name}" reads consumers from the KV binding ${scheme.binding}, which wrangler.toml does not declare: every request it checks gets 503.`, `Declare [[kv_namespaces]] binding = "${scheme.binding}" in wrangler.toml, or set the scheme's x-portico binding.`);
          }
        }
      }
    }
  }
  return [...warnings.values()];
}
