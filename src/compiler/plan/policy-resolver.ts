/**
 * @module
 * Resolves a policy or handler reference of x-portico (a named instance, a
 * built-in name, a ./policies/ module, or an inline { use, options }) into a
 * module and validated options.
 */
import { existsSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { BuildStepError, placesOf, type BuildTools, type BuiltinDescriptor, CodeRef, type Hook, type Place } from "../../builtin-descriptor.ts";
import { BuildError, joinPointer } from "../errors.ts";
import { type BrokenModule, loadUserModule, type LoadedModule } from "./modules.ts";
import { BUILTINS } from "../registry.ts";
import { readWranglerToml } from "./bindings.ts";
import { closest } from "../../did-you-mean.ts";
import { checkAgainstSchema } from "../spec/schema-check.ts";
import type { SourceSet } from "../spec/sources.ts";
import { completed, type ResolvedUse, runtimeModuleOf } from "./policies.ts";

interface Definition {
  use: string;
  options?: Record<string, unknown>;
  /** Where `use` and `options` stand in the bundled document. */
  pointer: string;
}

const isModulePath = (use: string) => use.startsWith("./") || use.startsWith("../");

export class PolicyResolver {
  readonly errors: BuildError[] = [];
  readonly warnings: BuildError[] = [];
  /** The files (as errors name them) of modules whose code is wrong: their errors are already told. */
  readonly brokenFiles = new Set<string>();
  #modules = new Map<string, Promise<LoadedModule | BrokenModule | string>>();

  private readonly root: string;
  private readonly sources: SourceSet;
  private readonly named: Record<string, { use: string; options?: Record<string, unknown> }>;
  private readonly cacheDir: string;

  constructor(root: string, sources: SourceSet, named: PolicyResolver["named"], cacheDir: string) {
    this.root = root;
    this.sources = sources;
    this.named = named;
    this.cacheDir = cacheDir;
  }

  #error(pointer: string, message: string, hint: string): undefined {
    this.errors.push(new BuildError(this.sources.locate(pointer), message, hint));
    return undefined;
  }

  #definition(ref: unknown, pointer: string): Definition | undefined {
    if (typeof ref === "object" && ref !== null) {
      const inline = ref as { use: string; options?: Record<string, unknown> };
      return { use: inline.use, options: inline.options, pointer };
    }
    const name = String(ref);
    // Own keys only: a policy called "constructor" or "toString" is not Object.prototype's.
    const named = Object.hasOwn(this.named, name) ? this.named[name] : undefined;
    if (named) return { ...named, pointer: joinPointer("/x-portico/policies", name) };
    return { use: name, pointer };
  }

  async #describe(
    use: string,
    pointer: string,
  ): Promise<{ kind: "policy" | "handler"; hooks: Hook[]; schema?: object; module: string; builtin?: BuiltinDescriptor<any, any> } | undefined> {
    const builtin = BUILTINS.get(use);
    if (builtin && !builtin.derived) return { kind: builtin.kind, hooks: builtin.hooks, schema: builtin.options, module: runtimeModuleOf(builtin), builtin };
    if (!isModulePath(use)) {
      const known = [...[...BUILTINS.values()].filter((b) => !b.derived).map((b) => b.name), ...Object.keys(this.named)].sort();
      const near = closest(use, known);
      const guess = near.length > 0 ? `Did you mean ${near.map((name) => `"${name}"`).join(" or ")}? ` : "";
      return this.#error(
        pointer,
        `Unknown policy or handler "${use}".`,
        `${guess}Use a built-in or named one (\`portico reference\` lists the built-ins), or a module path such as ./policies/${use}.ts.`,
      );
    }
    const file = resolve(this.root, use);
    const rel = relative(this.root, file);
    if (rel.startsWith("..") || isAbsolute(rel)) {
      return this.#error(
        pointer,
        `The module "${use}" is outside the project.`,
        "Keep policy and handler modules in policies/ and name them relative to the project root.",
      );
    }
    const first = !this.#modules.has(file);
    if (first) this.#modules.set(file, loadUserModule(file, this.cacheDir));
    const loaded = await this.#modules.get(file)!;
    if (typeof loaded === "string") {
      return this.#error(
        pointer,
        `The module "${use}" cannot be used: ${loaded}.`,
        "Check the path: a `use:` path is relative to the project root, such as ./policies/<name>.ts (see docs/x-portico.md#policy-and-handler-references).",
      );
    }
    if ("faults" in loaded) {
      // Told once, where the code is wrong; the spec's references to the module are not.
      if (first) {
        for (const fault of loaded.faults) {
          const at = { file: this.sources.display(fault.file), pointer: "", line: fault.line, column: fault.column };
          this.brokenFiles.add(at.file);
          this.errors.push(new BuildError(at, fault.message, loaded.hint));
        }
      }
      return undefined;
    }
    return { kind: loaded.kind, hooks: loaded.hooks, schema: loaded.options, module: file };
  }

  /** What a build step may ask of the compiler. */
  tools(operation?: BuildTools["operation"]): BuildTools {
    return {
      operation,
      projectModule: (relativePath) => {
        const file = resolve(this.root, relativePath);
        return existsSync(file) ? new CodeRef("module", file) : undefined;
      },
      wrangler: () => readWranglerToml(this.root),
    };
  }

  /**
   * Resolves one reference, checking that it is the expected kind and has the
   * hook its position needs. Errors are collected; undefined means there were some.
   */
  async resolve(ref: unknown, pointer: string, place: Place, gatewayWide = false, operationId?: string): Promise<ResolvedUse | undefined> {
    const definition = this.#definition(ref, pointer);
    if (!definition) return undefined;
    const usePointer = typeof ref === "object" || Object.hasOwn(this.named, String(ref)) ? joinPointer(definition.pointer, "use") : pointer;
    const described = await this.#describe(definition.use, usePointer);
    if (!described) return undefined;
    const expected = place === "handle" ? "handler" : "policy";
    if (described.kind !== expected) {
      return this.#error(
        pointer,
        `"${definition.use}" is a ${described.kind}, but this place takes a ${expected}.`,
        expected === "handler"
          ? "Name a handler here (forward, mock, redirect, or a defineHandler module)."
          : "Name a policy here; handlers go in x-portico.handler.",
      );
    }
    const places = placesOf(described.hooks, described.builtin?.wraps);
    if (!places.includes(place)) {
      return this.#error(
        pointer,
        `The policy "${definition.use}" has no ${place} hook, but it is listed in ${place}.`,
        `Move it to the list it has a hook for (${places.join(", ")}), or add an ${place} hook to it.`,
      );
    }
    const options = structuredClone(definition.options ?? {});
    if (described.schema) {
      const errors = checkAgainstSchema({
        schema: described.schema,
        value: options,
        pointer: joinPointer(definition.pointer, "options"),
        sources: this.sources,
        subject: `Options of "${definition.use}"`,
        hint: described.builtin
          ? `Give "${definition.use}" options that match its schema (docs/x-portico-reference.md lists them).`
          : `Give "${definition.use}" options that match the \`options\` schema in its definePolicy or defineHandler call.`,
      });
      if (errors.length > 0) {
        this.errors.push(...errors);
        return undefined;
      }
    }
    const resolved: ResolvedUse = {
      name: typeof ref === "string" ? ref : definition.use,
      use: definition.use,
      builtin: described.builtin,
      module: described.module,
      options,
      where: definition.pointer,
      pointer,
      gatewayWide,
      ...(operationId === undefined ? {} : { operationId }),
    };
    const builtin = described.builtin;
    for (const finding of builtin?.check?.(resolved) ?? []) {
      const found = new BuildError(this.sources.locate(finding.pointer ?? pointer), finding.message, finding.hint, finding.severity);
      const list = finding.severity === "error" ? this.errors : this.warnings;
      // A finding about a named instance's options is met wherever it is listed: it is told once.
      if (!list.some((told) => told.message === found.message && told.location.pointer === found.location.pointer)) list.push(found);
    }
    // A built-in that reads the operation is prepared per operation, by the planner.
    if (!builtin?.prepare || builtin.perOperation) return resolved;
    try {
      return completed(resolved, builtin.prepare(resolved, this.tools()));
    } catch (error) {
      if (error instanceof BuildStepError) return this.#error(error.pointer, error.message, error.hint);
      return this.#error(joinPointer(definition.pointer, "options"), (error as Error).message, `Fix the options of "${definition.use}".`);
    }
  }
}
