/**
 * @module
 * Build-time half of `rate-limit`: names the instance its counters belong to
 * (where it is defined, so a named policy listed on many operations shares
 * its counters) and finds the key function module.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";

export function prepareRateLimit(use: { where?: string; name: string; options: Record<string, any> }, root: string) {
  const prepared = { instance: use.where ?? use.name, name: use.options.name ?? (use.name === "rate-limit" ? "default" : use.name) };
  if (use.options.by !== "function") return { prepared };
  if (!use.options.function) throw new Error('by: function needs the option "function": the module that returns the key, e.g. ./policies/rate-key.ts.');
  const file = resolve(root, use.options.function);
  if (!existsSync(file)) throw new Error(`The key function module ${use.options.function} does not exist.`);
  return { prepared, modules: { keyFunction: file } };
}
