/**
 * @module
 * The instances a generated app declares, read back as data: what the
 * build-time contract checks of the options and prepared data a build gave.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

export interface AppInstance {
  name: string;
  /** The module it is an instance of, as an absolute path. */
  module: string;
  options: Record<string, unknown>;
  prepared?: unknown;
}

/**
 * The instances a generated app declares (`const x: Instance = {...}`),
 * read back as data. Code references in prepared data (`validators.v0`, a
 * module) come back as opaque stand-ins, as a create() call only stores them.
 */
export function appInstances(appFile: string): AppInstance[] {
  const source = readFileSync(appFile, "utf8");
  const modules = new Map([...source.matchAll(/^import (\w+) from "([^"]+)";$/gm)].map(([, name, path]) => [name, resolve(dirname(appFile), path)]));
  const standIn = (): unknown => new Proxy(() => {}, { get: (_, key) => (typeof key === "string" ? standIn() : undefined) });
  const scope = new Proxy({}, { has: () => true, get: (_, key) => (key === Symbol.unscopables ? undefined : standIn()) });
  return [...source.matchAll(/^const \w+: Instance = (\{[\s\S]*?\});$/gm)].map(([, literal]) => {
    // The literal is the emitter's own output: plain data but for the names it gave code.
    const value = new Function("scope", `with (scope) { return (${literal}); }`)(scope) as Omit<AppInstance, "module">;
    const builtin = /builtin: (\w+)/.exec(literal)![1];
    return { name: value.name, module: modules.get(builtin) ?? builtin, options: value.options, prepared: value.prepared };
  });
}
