/**
 * @module
 * The Durable Object classes the built-ins declare. The Worker exports all of
 * them, used or not: wrangler.toml may bind a class no route uses yet, and
 * wrangler refuses a Worker that does not export a class it binds.
 */
import { fileURLToPath } from "node:url";
import { BUILTINS } from "../registry.ts";

/** Class name → absolute path of the module that exports it. */
export function durableObjectClasses(): Map<string, string> {
  const classes = new Map<string, string>();
  for (const builtin of BUILTINS.values()) {
    for (const durable of builtin.durableObjects ?? []) classes.set(durable.className, fileURLToPath(durable.module.href));
  }
  return classes;
}
