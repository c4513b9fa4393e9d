/**
 * @module
 * Sets up each instance of the route table once per env: its options filled
 * with the env's values, its built-in's `create` called, and each operation's
 * steps gathered into plain lists. A request then only walks those lists.
 */
import type { Env, Hooks } from "./builtin.ts";
import type { CompiledOperation, Instance } from "./route-table.ts";
import { resolveEnv } from "./templates.ts";

type Named<F> = { name: string; run: F };

export type InboundStep = Named<NonNullable<Hooks["inbound"]>>;
export type HandleStep = Named<NonNullable<Hooks["handle"]>>;
export type OutboundStep = Named<NonNullable<Hooks["outbound"]>>;

/** One operation's steps for one env; a step no instance has is an empty list. */
export interface OperationSteps {
  inbound: InboundStep[];
  handle: HandleStep;
  outbound: OutboundStep[];
  finish: Array<NonNullable<Hooks["finish"]>>;
  preflight?: NonNullable<Hooks["preflight"]>;
}

/** Per env object: each instance's hooks, and each operation's steps. */
const setUp = new WeakMap<Env, { hooks: Map<Instance, Hooks>; steps: Map<CompiledOperation, OperationSteps> }>();

function cacheOf(env: Env) {
  let cache = setUp.get(env);
  if (!cache) setUp.set(env, (cache = { hooks: new Map(), steps: new Map() }));
  return cache;
}

/** The options an instance runs with in this env. Throws MissingEnvError for a var the env lacks. */
export function setupOf(instance: Instance, env: Env) {
  return { name: instance.name, options: resolveEnv(instance.options, env), prepared: instance.prepared, env };
}

/** An instance's hooks in this env, made once. */
export function hooksOf(instance: Instance, env: Env): Hooks {
  const { hooks } = cacheOf(env);
  let made = hooks.get(instance);
  if (!made) hooks.set(instance, (made = instance.builtin.create(setupOf(instance, env))));
  return made;
}

function stepsFor(op: CompiledOperation, env: Env): OperationSteps {
  const named = <K extends "inbound" | "outbound">(list: Instance[], hook: K) =>
    list.flatMap((instance) => {
      const run = hooksOf(instance, env)[hook];
      return run ? [{ name: instance.name, run: run as NonNullable<Hooks[K]> }] : [];
    });
  const handle = hooksOf(op.handler, env).handle;
  if (!handle) throw new TypeError(`Handler "${op.handler.name}" has no handle step`);
  const listed = [...new Set([...op.inbound, ...op.outbound])];
  // An operation's own preflight answer (listed last in its inbound) wins over the gateway's.
  const preflight = [...op.inbound]
    .reverse()
    .concat(op.outbound)
    .map((instance) => hooksOf(instance, env).preflight)
    .find(Boolean);
  return {
    inbound: named(op.inbound, "inbound"),
    handle: { name: op.handler.name, run: handle },
    outbound: named(op.outbound, "outbound"),
    finish: listed.flatMap((instance) => hooksOf(instance, env).finish ?? []),
    preflight,
  };
}

/** The operation's steps in this env, gathered once. */
export function stepsOf(op: CompiledOperation, env: Env): OperationSteps {
  const { steps } = cacheOf(env);
  let found = steps.get(op);
  if (!found) steps.set(op, (found = stepsFor(op, env)));
  return found;
}
