/**
 * @module
 * What a built-in says about itself at build time: the descriptor its
 * folder's `build.ts` exports. The compiler reads descriptors only (their
 * list is registry.ts); it knows no built-in by name. A descriptor names its
 * run-time module, its options schema, the hooks it has, and optionally its
 * build step, its placement checks, the x-portico keys and Durable Object
 * classes it owns, and what the portal shows of it.
 */
import type { PortalLimit } from "./portal-input.ts";

export type Hook = "inbound" | "outbound" | "handle" | "preflight" | "finish";

/** A list an instance can be placed in: its hooks decide which. */
export type Place = "inbound" | "outbound" | "handle";

/** The lists a module with these hooks may be placed in; one that wraps the handler goes in inbound alone. */
export function placesOf(hooks: readonly Hook[], wraps = false): Place[] {
  const has = (hook: Hook) => hooks.includes(hook);
  const places: Place[] = [];
  if (has("inbound") || has("preflight") || has("finish")) places.push("inbound");
  if ((has("outbound") && !wraps) || has("finish")) places.push("outbound");
  if (has("handle")) places.push("handle");
  return places;
}

/**
 * Code in prepared data: the emitter writes it as a reference, not as data.
 * A compiled validator (`validators.v3`), or the default export of a module.
 */
export class CodeRef {
  readonly kind: "validator" | "module";
  /** The validator's export name, or the module's absolute path. */
  readonly target: string;
  constructor(kind: "validator" | "module", target: string) {
    this.kind = kind;
    this.target = target;
  }
}

/**
 * Prepared data as the build writes it: where the run-time code gets a
 * function (a compiled validator, a project module's export), the build
 * step gives a CodeRef, which the emitter writes as a reference to it.
 */
export type AtBuild<T> = T extends (...args: any[]) => any
  ? CodeRef
  : T extends readonly (infer Item)[]
    ? AtBuild<Item>[]
    : T extends object
      ? { [K in keyof T]: AtBuild<T[K]> }
      : T;

/** One use of a built-in, as the build sees it. */
export interface Use<Options = Record<string, unknown>> {
  /** As written in the spec: a named instance's name, or the built-in's. */
  name: string;
  /** Checked against the schema, its defaults filled in; `${env.X}` still in it. */
  options: Options;
  /** JSON pointer of where the instance is defined: its identity (a named one is shared). */
  where: string;
  /** JSON pointer of where it is listed. */
  pointer: string;
  /** Listed in the document's own inbound or outbound: runs before authentication, for every operation. */
  gatewayWide: boolean;
  /** The operation it is listed on (undefined when gateway-wide). */
  operationId?: string;
}

/** What the build knows of the operation a per-operation built-in is used on. */
export interface BuildOperation {
  operation: Record<string, any>;
  document: Record<string, any>;
  deref: (value: unknown) => any;
  path: string;
  method: string;
  /** JSON pointer of the operation in the bundled document. */
  pointer: string;
  /** x-portico.upstream of the document, if set. */
  upstream?: string;
  /** Follows `$ref`s to the object and the pointer where it really stands. */
  follow: (value: unknown, pointer: string) => { node: any; pointer: string };
  /** A response validator for the schema at this document pointer (undefined when it does not compile: reported). */
  responseValidatorAt: (pointer: string) => CodeRef | undefined;
  /**
   * Checks values at build time against the schema at this document pointer, response direction
   * (writeOnly properties not required), with the validator the gateway uses; undefined when the
   * schema does not compile. Nothing is added to the generated app.
   */
  responseCheckAt?: (
    pointer: string,
  ) => ((value: unknown) => Array<{ instancePath: string; keyword: string; message: string; params: Record<string, any> }>) | undefined;
}

/** What a build step may ask of the compiler. */
export interface BuildTools {
  /** The operation, for a descriptor with `perOperation`. */
  operation?: BuildOperation;
  /** A module of the project, by its path from the project root; undefined when it does not exist. */
  projectModule(relative: string): CodeRef | undefined;
  /** The project's wrangler.toml, parsed; undefined when there is none or it does not parse (wrangler says why). */
  wrangler?(): Record<string, any> | undefined;
}

/** What a build step gives: options completed from the document, and prepared data. */
export interface Prepared<Options, Data> {
  options?: Partial<Options>;
  prepared?: Data;
  /**
   * What the build step has to say about the document, located: build warnings. One at the
   * pointer of an example (an example it does not serve) joins that example's own warning.
   */
  notes?: Array<{ pointer: string; message: string; hint: string }>;
}

/** A finding of a placement check; the pointer defaults to where the use is listed. */
export interface Finding {
  severity: "error" | "warning";
  message: string;
  hint: string;
  /** JSON pointer of the value the finding is about (an option, under the use's `where`). */
  pointer?: string;
}

/**
 * What a build step throws to point at the value to fix, with its own hint: a
 * forward url at its option, or the document's upstream it was made from.
 * Any other Error is reported where the use is listed.
 */
export class BuildStepError extends Error {
  override name = "BuildStepError";
  readonly pointer: string;
  readonly hint: string;
  constructor(message: string, pointer: string, hint: string) {
    super(message);
    this.pointer = pointer;
    this.hint = hint;
  }
}

/** A Durable Object class the built-in's run-time code counts in. */
export interface DurableObjectClass<Options> {
  className: string;
  /** The module that exports the class (the Worker re-exports it). */
  module: URL;
  /** The binding an instance uses (its `binding` option, or the default); undefined when this instance uses no object. */
  binding(options: Options): string | undefined;
  /** An Analytics Engine dataset under that binding serves too (the built-in tells them apart at run time). */
  orDataset?: boolean;
  /** What goes wrong when wrangler.toml lacks the binding (default: the counter will not answer). */
  consequence?: string;
}

/** A KV namespace an instance reads, and what goes wrong without it. */
export interface KvNeed {
  binding: string;
  /** Where the need comes from in the document, as pointer tokens (`["components", "securitySchemes", "key"]`). */
  at: string[];
  consequence: string;
}

/** Schema fragments of the x-portico keys a built-in owns, at the places they stand. */
export interface ExtensionKeys {
  root?: Record<string, object>;
  operation?: Record<string, object>;
  securityScheme?: Record<string, object>;
}

export interface BuiltinDescriptor<Options = any, Data = unknown> {
  /** The `use:` name, the folder's name and the docs' slug. */
  name: string;
  kind: "policy" | "handler";
  /** One sentence for the generated reference. */
  summary: string;
  /** The run-time module: its default export is made by defineBuiltin. */
  runtime: URL;
  /** JSON Schema of the options (its defaults are filled in at build); `Options` is its type (FromSchema). */
  options: object;
  hooks: Hook[];
  /**
   * Added by the compiler from the document (authentication, validation),
   * never named in x-portico.
   */
  derived?: boolean;
  /** Its build step reads the operation it is on, so each operation gets an instance of its own. */
  perOperation?: boolean;
  /**
   * Listed in inbound, it also runs its outbound hook on the way back (a cache stores what it
   * looked up): before the operation's own outbound, the last listed first, as layers unwind.
   */
  wraps?: boolean;
  /** Completes options and prepares data; throws an Error whose message says what to fix (a BuildStepError to say where). */
  prepare?(use: Use<Options>, tools: BuildTools): Prepared<Options, AtBuild<Data>>;
  /** Placement rules: where this use stands, what it cannot do there. */
  check?(use: Use<Options>): Finding[];
  durableObjects?: Array<DurableObjectClass<Options>>;
  kv?(use: Use<Options>): KvNeed[];
  /** What the generated app calls an instance, after the built-in's name (default: the operation's id). */
  label?(use: Use<Options>): string;
  /** What the portal shows on the page of an operation it is used on. */
  portal?(use: Use<Options>, prepared: AtBuild<Data>): PortalLimit | undefined;
  extension?: ExtensionKeys;
  /**
   * Template sources beyond `env` and `params` that its run-time module fills in its options per
   * request (`query`, `consumer`): the compiler's template check leaves them to its build step.
   */
  templates?: readonly string[];
  /** Its run-time module has admin routes, given every instance in the route table. */
  admin?: boolean;
  /**
   * A handler that takes a protocol upgrade on this use (forward's WebSocket handshakes): the
   * router keeps the request's `Upgrade` header when it names this protocol, which it otherwise
   * drops as hop-by-hop.
   */
  upgrade?(use: Use<Options>): "websocket" | undefined;
}

/**
 * Declares a built-in's descriptor. `Options` is the type of its options
 * (`FromSchema<typeof options>`, from its options.ts), `Data` what its build
 * step prepares for the run-time module.
 *
 * @example
 * ```ts
 * export default describeBuiltin<RequestIdOptions>({
 *   name: "request-id", kind: "policy", summary: "…",
 *   runtime: new URL("./index.ts", import.meta.url),
 *   options, hooks: ["inbound", "finish"],
 * });
 * ```
 */
export function describeBuiltin<Options = Record<string, never>, Data = undefined>(
  descriptor: BuiltinDescriptor<Options, Data>,
): BuiltinDescriptor<Options, Data> {
  return Object.freeze(descriptor);
}
