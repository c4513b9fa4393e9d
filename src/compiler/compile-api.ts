/**
 * @module
 * What a build (compile.ts) takes and gives back: the project and how to
 * build it, the progress it tells, and its errors, warnings and plan.
 */
import type { PlannedPath } from "./emit/emit.ts";
import type { BuildError } from "./errors.ts";
import type { ExampleSummary } from "./plan/example-check.ts";
import type { PortalInput } from "../portal-input.ts";

export interface CompileOptions {
  /** The project root (holds openapi/ and policies/). */
  root: string;
  /** The spec, relative to root; defaults to openapi/openapi.yaml, else openapi/openapi.json. */
  spec?: string;
  /** Where the generated app goes; defaults to <root>/.portico. */
  outDir?: string;
  /** Check only: write nothing. */
  check?: boolean;
  /** The handler of operations that name none, as if set as x-portico.handler (e.g. "mock"). */
  defaultHandler?: string;
  /**
   * For the dev server: when the project does not build, write an app that
   * answers 503 with the errors instead of leaving the old one (or none);
   * when it does, one whose logged errors print their stack readably too.
   */
  serveErrors?: boolean;
  /** Examples that break their schema, and patterns a client could make slow, fail the build (`--strict`), instead of being warnings. */
  strict?: boolean;
  /** Type-check the modules in policies/ (the CLI does; a type error is a build error). */
  typecheck?: boolean;
  /** Told as the build moves on, for a progress line; it must not throw. */
  onProgress?: (progress: CompileProgress) => void;
}

/** Where the build is: reading the spec, compiling operations (done of total), or writing the app. */
export type CompileProgress = { step: "load" } | { step: "compile"; done: number; total: number } | { step: "write" };

export interface CompileResult {
  errors: BuildError[];
  warnings: BuildError[];
  /** Operations compiled, for the CLI's summary. */
  operations: number;
  /** The generated app, when written. */
  appFile?: string;
  /** What the portal generator needs, when the project built (check included). */
  portal?: PortalInput;
  /** How the document's examples met their schemas, for the CLI's summary line. */
  examples?: ExampleSummary;
  /** The planned routes and the document they were planned from, for tools and tests that read what each operation got. */
  plan?: { document: Record<string, any>; paths: PlannedPath[] };
}
