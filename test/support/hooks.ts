/**
 * The hooks of a built-in set up with these options, as the gateway sets one
 * up for an env: for tests that call a built-in's steps directly.
 */
import type { Builtin, Env, Hooks } from "../../src/runtime/builtin.ts";

export function hooksOf<Options, Prepared>(builtin: Builtin<Options, Prepared>, options: Options, prepared?: Prepared, env: Env = {}): Hooks {
  return builtin.create({ name: "test", options, prepared: prepared as Prepared, env });
}
