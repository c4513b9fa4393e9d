/**
 * @module
 * The build: load the spec, check x-portico, plan every operation, and (unless
 * checking only) write the generated app into .portico/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { emitApp, emitDurableObjects, type PlannedPath } from "./emit/emit.ts";
import { emitErrorApp } from "./emit/emit-error-app.ts";
import { BuildError, joinPointer } from "./errors.ts";
import { checkExtensions } from "./spec/check-extensions.ts";
import { loadSpec } from "./spec/load-spec.ts";
import type { PlanContext } from "./plan/operations.ts";
import { planPaths } from "./plan/plan-paths.ts";
import { PolicyResolver, type ResolvedUse } from "./plan/policies.ts";
import { checkBindings } from "./plan/bindings.ts";
import { planSelfServe } from "./plan/self-serve.ts";
import { planMcp } from "./plan/mcp.ts";
import { shadowedBuiltins } from "./plan/shadowed-builtins.ts";
import { portalBasePath, type PortalInput } from "../portal-input.ts";
import { portalOperations } from "./plan/portal-input.ts";
import { durableObjectClasses } from "./emit/durable-objects.ts";
import { forDirection } from "./validators/read-write-only.ts";
import { createValidatorSet } from "./validators/validators.ts";
import { warningPointer } from "./validators/warning-place.ts";
import { checkPatterns } from "./plan/pattern-safety.ts";
import { createDeref } from "./spec/refs.ts";
import { checkExamples, type ExampleSummary, settleExamples } from "./plan/example-check.ts";
import { planTelemetry, usageUse } from "./plan/telemetry.ts";
import { addFrames } from "./code-frame.ts";
import { typecheckPolicies } from "./typecheck.ts";

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

const RUNTIME_DIR = fileURLToPath(new URL("../runtime/", import.meta.url).href);

/** The document the build reads: `spec` relative to root, else openapi/openapi.yaml, else openapi/openapi.json. */
export function specPath(root: string, spec?: string): string {
  if (spec) return resolve(root, spec);
  const yaml = join(root, "openapi", "openapi.yaml");
  return existsSync(yaml) || !existsSync(join(root, "openapi", "openapi.json")) ? yaml : join(root, "openapi", "openapi.json");
}

/**
 * A build that throws where no check expected it still ends as one located
 * error, never a stack trace: what the document held that the build could
 * not read is the likeliest cause, so the error names the document.
 */
function unexpected(options: CompileOptions, error: unknown): CompileResult {
  const file = relative(resolve(options.root), specPath(resolve(options.root), options.spec)) || "openapi/openapi.yaml";
  const message = error instanceof Error ? error.message : String(error);
  const found = new BuildError(
    { file, pointer: "" },
    `The build stopped on something in the document it could not read: ${message}`,
    "Look for what the message names (a $ref that points at itself, a URL that does not parse, YAML aliases nested too deep); `npx portico check --verbose` shows the rest. If the document is valid OpenAPI, this is a bug in Portico: please report it with the message.",
  );
  return { errors: [found], warnings: [], operations: 0 };
}

export async function compile(options: CompileOptions): Promise<CompileResult> {
  // tsc runs beside the build, in a process of its own: it is awaited before anything is written.
  const typeErrors = options.typecheck ? typecheckPolicies(resolve(options.root)) : Promise.resolve([]);
  const result = await compileProject(options, typeErrors).catch((error: unknown) => unexpected(options, error));
  addFrames(result.errors, resolve(options.root));
  if (options.serveErrors && !options.check && result.errors.length > 0) {
    const appFile = join(resolve(options.outDir ?? join(options.root, ".portico")), "app.ts");
    mkdirSync(dirname(appFile), { recursive: true });
    writeFileSync(appFile, emitErrorApp(result.errors, problemsPage(resolve(options.root))));
    // src/worker.ts exports these too: a fresh project whose first build fails has no other copy.
    writeFileSync(join(dirname(appFile), "durable-objects.ts"), emitDurableObjects(dirname(appFile), durableObjectClasses()));
    return { ...result, appFile };
  }
  return result;
}

async function compileProject(options: CompileOptions, typeErrors: Promise<BuildError[]>): Promise<CompileResult> {
  const root = resolve(options.root);
  const outDir = resolve(options.outDir ?? join(root, ".portico"));
  const fail = async (errors: BuildError[]): Promise<CompileResult> => {
    const typing = await typeErrors;
    return { errors: [...errors, ...typing.filter((e) => e.severity === "error")], warnings: typing.filter((e) => e.severity === "warning"), operations: 0 };
  };
  let loaded;
  options.onProgress?.({ step: "load" });
  try {
    loaded = await loadSpec(root, specPath(root, options.spec));
  } catch (error) {
    if (error instanceof BuildError) return fail([error]);
    if (error instanceof AggregateError) return fail(error.errors as BuildError[]);
    throw error;
  }
  const { document, sources } = loaded;
  if (options.defaultHandler) {
    document["x-portico"] = { handler: options.defaultHandler, ...document["x-portico"] };
  }
  const errors = checkExtensions(document, sources);
  if (errors.length > 0) return fail(errors);

  const extension = document["x-portico"] ?? {};
  const warnings = [...loaded.warnings, ...shadowedBuiltins(extension.policies ?? {}, sources)];
  // User modules are bundled into a scratch folder to be read; `check` writes nothing in the project.
  const scratch = mkdtempSync(join(tmpdir(), "portico-"));
  const resolver = new PolicyResolver(root, sources, extension.policies ?? {}, scratch);
  const gatewayInbound: ResolvedUse[] = [];
  const gatewayOutbound: ResolvedUse[] = [];
  for (const [i, ref] of (extension.inbound ?? []).entries()) {
    const use = await resolver.resolve(ref, joinPointer("/x-portico/inbound", i), "inbound", true);
    if (use) gatewayInbound.push(use);
  }
  for (const [i, ref] of (extension.outbound ?? []).entries()) {
    const use = await resolver.resolve(ref, joinPointer("/x-portico/outbound", i), "outbound", true);
    if (use) gatewayOutbound.push(use);
  }
  const usage = usageUse(extension);
  if (usage) {
    const use = await resolver.resolve(usage.ref, usage.pointer, "outbound", true);
    if (use) gatewayOutbound.push(use);
  }
  const patterns = await checkPatterns({
    document,
    sources,
    strict: options.strict,
    cacheFile: join(outDir, "pattern-verdicts.json"),
    writeCache: !options.check,
  });
  errors.push(...patterns.errors);
  warnings.push(...patterns.warnings);
  const directed = { count: 0 };
  const validators = createValidatorSet(forDirection(document, "request", directed), patterns);
  const responseValidators = createValidatorSet(forDirection(document, "response", directed), patterns);
  // Where no readOnly or writeOnly property is required, both copies are the document itself: build-time
  // checks of responses (examples, mock answers) reuse what the request validators compiled.
  const responseChecks = directed.count > 0 ? responseValidators : validators;
  // Before planning, which inlines $ref'd path items: each example is found where it is written.
  const exampleReport = checkExamples({ document, deref: createDeref(document), sources, validators: { request: validators, response: responseChecks } });
  const ctx: PlanContext = {
    document,
    sources,
    resolver,
    errors,
    seenOperationIds: new Map(),
    schemePlans: new Map(),
    validators,
    responseValidators,
    responseChecks,
    warnings,
  };
  const paths = await planPaths(ctx, { inbound: gatewayInbound, outbound: gatewayOutbound }, options.onProgress);
  errors.push(...resolver.errors);
  warnings.push(...resolver.warnings);
  // A module that does not compile was reported by the bundler already; tsc would say it again.
  const typing = (await typeErrors).filter((error) => !resolver.brokenFiles.has(error.location.file));
  errors.push(...typing.filter((error) => error.severity === "error"));
  warnings.push(...typing.filter((error) => error.severity === "warning"));
  for (const warning of new Set([...validators.warnings, ...responseValidators.warnings])) {
    warnings.push(
      new BuildError(
        sources.locate(warningPointer(warning)),
        warning,
        "Formats Portico does not know are not checked; other warnings name the schema to look at.",
        "warning",
      ),
    );
  }
  warnings.push(...checkBindings(root, paths, sources));
  // The consumers admin routes, and the portal's sign-in and key pages when portal.config has `auth`.
  const selfServe = planSelfServe(root, document, paths);
  errors.push(...selfServe.errors);
  warnings.push(...selfServe.warnings);
  // The MCP server (x-portico.mcp): a mount of the generated app when the document asks for one.
  const mcp = planMcp(document, sources, paths, portalBasePath(root));
  errors.push(...mcp.errors);
  warnings.push(...mcp.warnings);
  const examples = settleExamples(exampleReport, { warnings, errors, strict: options.strict });
  const operations = paths.reduce((n, p) => n + p.operations.length, 0);
  if (operations === 0 && errors.length === 0) {
    warnings.push(
      new BuildError(
        sources.locate("/paths"),
        "The document has no operations: the gateway will answer 404 to everything.",
        "Add operations under paths.",
        "warning",
      ),
    );
  }
  rmSync(scratch, { recursive: true, force: true });
  const plan = { document, paths };
  if (errors.length > 0) return { errors, warnings, operations, examples, plan };
  const portal: PortalInput = {
    document: loaded.publicDocument as Record<string, any>,
    operations: portalOperations(paths),
    ...(mcp.portal ? { mcp: mcp.portal } : {}),
    // The public document has the same pointers as the one validated: the portal checks the examples it generates with these.
    checkAt: (pointer, direction) => {
      try {
        return (direction === "request" ? validators : responseChecks).check(pointer);
      } catch {
        return undefined;
      }
    },
  };
  if (options.check) return { errors, warnings, operations, portal, examples, plan };

  options.onProgress?.({ step: "write" });
  mkdirSync(outDir, { recursive: true });
  // Both modules sit in outDir: one specifier of the run-time formats, relative to it, serves both.
  const runtimeImport = relative(outDir, join(RUNTIME_DIR, "formats", "index.ts"))
    .replaceAll("\\", "/")
    .replace(/^(?!\.)/, "./");
  writeFileSync(
    join(outDir, "validators.ts"),
    `// Generated by \`portico build\`: the request validators, compiled from the spec's schemas.\n// @ts-nocheck\n${validators.code({ runtimeImport })}`,
  );
  writeFileSync(
    join(outDir, "response-validators.ts"),
    `// Generated by \`portico build\`: the response validators (validate-response), compiled from the spec's schemas.\n// @ts-nocheck\n${responseValidators.code({ runtimeImport })}`,
  );
  const problemBase = extension.problems?.base ?? problemsPage(root);
  const modules = emitApp({
    outDir,
    runtimeDir: RUNTIME_DIR,
    paths,
    admin: [...adminUses(paths), ...selfServe.admin],
    mounts: [...selfServe.mounts, ...mcp.mounts],
    durableObjects: durableObjectClasses(),
    publicSpec: loaded.publicDocument,
    problemBase,
    portalBase: portalBasePath(root),
    dev: options.serveErrors,
    telemetry: planTelemetry(document, options.serveErrors === true),
  });
  for (const [file, source] of Object.entries(modules)) writeFileSync(join(outDir, file), source);
  return { errors, warnings, operations, appFile: join(outDir, "app.ts"), portal, examples, plan };
}

/** Where problem types point when the document does not say: the portal's errors page, or about:blank without a portal. */
function problemsPage(root: string): string {
  const portal = portalBasePath(root);
  return portal === undefined ? "about:blank" : `${portal}/errors`;
}

/** Every use of a built-in that has admin routes, by built-in. */
function adminUses(paths: PlannedPath[]) {
  const byName = new Map<string, { name: string; module: string; uses: ResolvedUse[] }>();
  for (const use of paths.flatMap((path) => path.operations.flatMap((op) => [...op.inbound, ...op.outbound]))) {
    if (!use.builtin?.admin) continue;
    let entry = byName.get(use.builtin.name);
    if (!entry) byName.set(use.builtin.name, (entry = { name: use.builtin.name, module: use.module, uses: [] }));
    entry.uses.push(use);
  }
  return [...byName.values()];
}
