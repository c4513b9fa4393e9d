/**
 * @module
 * A policy or handler as x-portico uses it, once resolved (policy-resolver.ts):
 * the module the generated app imports, its validated options, and what its
 * built-in prepared from the document; and where a built-in's run-time module is.
 */
import { fileURLToPath } from "node:url";
import type { BuiltinDescriptor } from "../../builtin-descriptor.ts";

export interface ResolvedUse {
  /** The name as written in the spec. */
  name: string;
  /** What `use` names: a built-in name or a module path. */
  use: string;
  /** The built-in's descriptor; undefined for a user's module. */
  builtin?: BuiltinDescriptor<any, any>;
  /** Absolute path of the module the generated app imports. */
  module: string;
  options: Record<string, unknown>;
  /**
   * What a built-in worked out at build time from the document (mock's
   * answers, a compiled validator). Kept apart from the options: document data
   * is never template-filled at run time, so an example cannot read a secret.
   */
  prepared?: unknown;
  /** Where the instance is defined (a named one's pointer, or the inline reference's): its identity. */
  where: string;
  /** Where it is listed. */
  pointer: string;
  /** Listed in the document's own inbound or outbound. */
  gatewayWide: boolean;
  /** The operation it is listed on (undefined when gateway-wide). */
  operationId?: string;
}

/** The absolute path of a built-in's run-time module. */
export const runtimeModuleOf = (builtin: BuiltinDescriptor<any, any>) => fileURLToPath(builtin.runtime.href);

/** A use with what its built-in's build step gave: options completed, data prepared. */
export function completed(use: ResolvedUse, step: { options?: object; prepared?: unknown }): ResolvedUse {
  return { ...use, options: step.options ? { ...use.options, ...step.options } : use.options, prepared: step.prepared ?? use.prepared };
}
