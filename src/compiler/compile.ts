/**
 * @module
 * The build: load the spec, check x-portico, plan every operation, and (unless
 * checking only) write the generated app into .portico/.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import type { CompileOptions, CompileResult } from "./compile-api.ts";
import { BuildError } from "./errors.ts";
import { checkExtensions } from "./spec/check-extensions.ts";
import { loadSpec } from "./spec/load-spec.ts";
import type { PlanContext } from "./plan/plan-context.ts";
import { planPaths } from "./plan/plan-paths.ts";
import { PolicyResolver } from "./plan/policy-resolver.ts";
import { checkBindings } from "./plan/bindings.ts";
import { planSelfServe } from "./plan/self-serve.ts";
import { planMcp } from "./plan/mcp.ts";
import { shadowedBuiltins } from "./plan/shadowed-builtins.ts";
import { portalBasePath, type PortalInput } from "../portal-input.ts";
import { portalOperations } from "./plan/portal-input.ts";
import { forDirection } from "./validators/read-write-only.ts";
import { createValidatorSet } from "./validators/validators.ts";
import { warningPointer } from "./validators/warning-place.ts";
import { checkPatterns } from "./plan/pattern-safety.ts";
import { createDeref } from "./spec/refs.ts";
import { checkExamples, settleExamples } from "./plan/example-check.ts";
import { resolveGatewayUses } from "./plan/gateway-uses.ts";
import { addFrames } from "./code-frame.ts";
import { typecheckPolicies } from "./typecheck.ts";
import { writeApp, writeErrorApp } from "./write-app.ts";

export type { CompileOptions, CompileProgress, CompileResult } from "./compile-api.ts";

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
    const appFile = writeErrorApp(options, result.errors);
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
  const gateway = await resolveGatewayUses(resolver, extension);
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
  const paths = await planPaths(ctx, gateway, options.onProgress);
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
  const appFile = writeApp({ root, outDir, options, loaded, document, extension, paths, validators, responseValidators, selfServe, mcp });
  return { errors, warnings, operations, appFile, portal, examples, plan };
}
