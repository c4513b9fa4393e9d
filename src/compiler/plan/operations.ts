/**
 * @module
 * Plans every operation of the document: the checks that need the operation
 * (operationId, path parameters, x-portico), then its policies and handler.
 */
import { BuildStepError, CodeRef, type BuildOperation } from "../../builtin-descriptor.ts";
import { BuildError, joinPointer, NOTE_GROUP } from "../errors.ts";
import { operationExtensionSchema } from "../spec/extension-schema.ts";
import { checkPathParams, declaresQuery } from "./operation-parameters.ts";
import { HTTP_METHODS } from "./paths.ts";
import type { PlanContext } from "./plan-context.ts";
import { completed, type ResolvedUse } from "./policies.ts";
import { reportOnce } from "./report-once.ts";
import { createDeref } from "../spec/refs.ts";
import { checkAgainstSchema } from "../spec/schema-check.ts";
import { planAuthentication } from "./security.ts";
import { planValidation } from "./validation.ts";
import { follow, validatorAt } from "./validator-lookup.ts";
import { checkTemplates } from "../spec/templates.ts";

export interface PlannedOperation {
  method: string;
  path: string;
  operationId: string;
  inbound: ResolvedUse[];
  handler: ResolvedUse;
  outbound: ResolvedUse[];
  /** See CompiledOperation.takesMethodParameter. */
  takesMethodParameter?: true;
  /** See CompiledOperation.upgrade. */
  upgrade?: "websocket";
  /** See CompiledOperation.renamedParams. */
  renamedParams?: Array<[string, string]>;
}

async function resolveList(ctx: PlanContext, list: unknown, pointer: string, hook: "inbound" | "outbound", operationId: string) {
  const resolved: ResolvedUse[] = [];
  for (const [i, ref] of (Array.isArray(list) ? list : []).entries()) {
    const use = await ctx.resolver.resolve(ref, joinPointer(pointer, i), hook, false, operationId);
    if (use) resolved.push(use);
  }
  return resolved;
}

async function planOperation(ctx: PlanContext, path: string, method: string, gateway: { inbound: ResolvedUse[]; outbound: ResolvedUse[] }) {
  const pointer = joinPointer("/paths", path, method);
  const operation = ctx.document.paths[path][method];
  const operationId = typeof operation.operationId === "string" ? operation.operationId : `${method.toUpperCase()} ${path}`;
  const earlier = ctx.seenOperationIds.get(operationId);
  if (earlier) {
    ctx.errors.push(
      new BuildError(
        ctx.sources.locate(joinPointer(pointer, "operationId")),
        `operationId "${operationId}" is used twice (also by ${earlier}).`,
        "Give every operation its own operationId.",
      ),
    );
  }
  ctx.seenOperationIds.set(operationId, `${method.toUpperCase()} ${path}`);
  const params = checkPathParams(ctx, path, method, pointer);

  const extension = (operation["x-portico"] ?? {}) as Record<string, any>;
  const extPointer = joinPointer(pointer, "x-portico");
  const shapeErrors = checkAgainstSchema({
    schema: operationExtensionSchema,
    value: extension,
    pointer: extPointer,
    sources: ctx.sources,
    subject: "x-portico of the operation",
    hint: "x-portico of an operation takes handler, inbound, outbound and validate.",
  });
  const templateErrors = checkTemplates(extension, extPointer, { params }, ctx.sources);
  ctx.errors.push(...shapeErrors, ...templateErrors);
  if (shapeErrors.length > 0) return undefined;

  const rootHandler = ctx.document["x-portico"]?.handler;
  const handlerRef = extension.handler ?? rootHandler;
  if (handlerRef === undefined) {
    ctx.errors.push(
      new BuildError(
        ctx.sources.locate(pointer),
        `${method.toUpperCase()} ${path} has no handler.`,
        "Add x-portico: { handler: mock } (or forward, redirect, aggregate, ./policies/x.ts) to the operation, or a default x-portico.handler at the document root.",
      ),
    );
    return undefined;
  }
  const handlerPointer = extension.handler !== undefined ? joinPointer(extPointer, "handler") : "/x-portico/handler";
  const handler = await ctx.resolver.resolve(handlerRef, handlerPointer, "handle");
  const inbound = await resolveList(ctx, extension.inbound, joinPointer(extPointer, "inbound"), "inbound", operationId);
  const outbound = await resolveList(ctx, extension.outbound, joinPointer(extPointer, "outbound"), "outbound", operationId);
  const deref = createDeref(ctx.document);
  const authenticate = planAuthentication({ ...ctx, deref }, operation, pointer, ctx.schemePlans);
  const validation = planValidation({ ...ctx, deref }, path, method);
  if (!handler || !authenticate) return undefined;

  const input: BuildOperation = {
    operation,
    document: ctx.document,
    deref,
    path,
    method,
    pointer,
    upstream: ctx.document["x-portico"]?.upstream,
    responseValidatorAt: (at) => {
      const name = validatorAt({ ...ctx, deref, validators: ctx.responseValidators }, at);
      return name === undefined ? undefined : new CodeRef("validator", `responseValidators.${name}`);
    },
    follow: (value, at) => follow(ctx.document, value, at),
    responseCheckAt: (at) => {
      try {
        return (ctx.responseChecks ?? ctx.responseValidators).check(at);
      } catch {
        return undefined;
      }
    },
  };
  // Built-ins that read the operation (mock's answers, forward's url) get an instance of their own per operation.
  const prepared = (use: ResolvedUse): ResolvedUse | undefined => {
    if (!use.builtin?.perOperation || !use.builtin.prepare) return use;
    try {
      const step = use.builtin.prepare(use, ctx.resolver.tools(input));
      for (const note of step.notes ?? [])
        ctx.warnings.push(Object.assign(new BuildError(ctx.sources.locate(note.pointer), note.message, note.hint, "warning"), { group: NOTE_GROUP }));
      return completed(use, step);
    } catch (error) {
      // One located value (the document's upstream) may be the fault of many operations: it is told once.
      const found =
        error instanceof BuildStepError
          ? new BuildError(ctx.sources.locate(error.pointer), error.message, error.hint)
          : new BuildError(
              ctx.sources.locate(use.pointer),
              `${method.toUpperCase()} ${path}: ${(error as Error).message}`,
              `Fix the options of "${use.name}" or the operation it reads.`,
            );
      reportOnce(ctx.errors, found);
      return undefined;
    }
  };
  const preparedHandler = prepared(handler);
  if (!preparedHandler) return undefined;
  const upgrade = preparedHandler.builtin?.upgrade?.(preparedHandler);
  const steps = onceEach(ctx, operationId, [...gateway.inbound, authenticate, ...inbound, ...(validation ? [validation] : [])])
    .map(prepared)
    .filter((use) => use !== undefined);
  return {
    method: method.toUpperCase(),
    path,
    operationId,
    inbound: steps,
    handler: preparedHandler,
    // What wraps the handler from inbound unwinds first, then the operation's outbound, then the gateway's.
    outbound: [
      ...steps.filter((use) => use.builtin?.wraps).reverse(),
      ...onceEach(ctx, operationId, [...outbound, ...gateway.outbound])
        .map(prepared)
        .filter((use) => use !== undefined),
    ],
    ...(declaresQuery(ctx.document, path, method, "_method") ? { takesMethodParameter: true } : {}),
    ...(upgrade ? { upgrade } : {}),
  } satisfies PlannedOperation;
}

/**
 * A named policy listed twice on one operation's way (gateway-wide and on the
 * operation, or twice in one list) runs once, at its first place: a rate
 * limit would otherwise count each request twice. The build says so.
 */
function onceEach(ctx: PlanContext, operationId: string, uses: ResolvedUse[]): ResolvedUse[] {
  const first = new Map<string, ResolvedUse>();
  return uses.filter((use) => {
    if (!use.where.startsWith("/x-portico/policies/")) return true;
    const earlier = first.get(use.where);
    if (!earlier) {
      first.set(use.where, use);
      return true;
    }
    reportOnce(
      ctx.warnings,
      new BuildError(
        ctx.sources.locate(use.pointer),
        `"${use.name}" is listed twice on ${operationId} (first at ${earlier.pointer}): it runs once, at its first place.`,
        "Remove one of the two listings; to count a request in two ways, define two named policies.",
        "warning",
      ),
    );
    return false;
  });
}

export async function planOperations(ctx: PlanContext, path: string, gateway: { inbound: ResolvedUse[]; outbound: ResolvedUse[] }) {
  const planned: PlannedOperation[] = [];
  const pathItem = ctx.document.paths[path] ?? {};
  for (const method of HTTP_METHODS) {
    if (!pathItem[method]) continue;
    const op = await planOperation(ctx, path, method, gateway);
    if (op) planned.push(op);
  }
  return planned;
}
