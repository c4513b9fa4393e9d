/**
 * @module
 * The checks of an operation's declared parameters: its path parameters and
 * its path template name the same ones, each required, and whether it
 * declares a query parameter of a given name.
 */
import { BuildError, joinPointer } from "../errors.ts";
import type { PlanContext } from "./plan-context.ts";
import { templateParams } from "./paths.ts";
import { reportOnce } from "./report-once.ts";
import { follow } from "./validator-lookup.ts";

export function checkPathParams(ctx: PlanContext, path: string, method: string, pointer: string): Set<string> {
  const pathItem = ctx.document.paths[path];
  const declared = new Map<string, string>();
  const collect = (list: unknown, base: string) =>
    (Array.isArray(list) ? list : []).forEach((raw, i) => {
      const { node: param, pointer: at } = follow(ctx.document, raw, joinPointer(base, "parameters", i));
      if (param?.in !== "path") return;
      declared.set(param.name, joinPointer(base, "parameters", i));
      // OpenAPI requires it: a path parameter is part of the path, so no request that matches lacks it.
      if (param.required === false) {
        reportOnce(
          ctx.errors,
          new BuildError(
            ctx.sources.locate(joinPointer(at, "required")),
            `The path parameter "${param.name}" has required: false, but a path parameter is always there: a request without it matches no route.`,
            `Write required: true. For a path that may end without it, declare that path too (${path.replace(`/{${param.name}}`, "") || "/"} beside ${path}); see docs/openapi-support.md.`,
          ),
        );
      }
    });
  collect(pathItem.parameters, joinPointer("/paths", path));
  collect(pathItem[method].parameters, pointer);
  const inTemplate = new Set(templateParams(path));
  for (const name of inTemplate) {
    if (!declared.has(name)) {
      ctx.errors.push(
        new BuildError(
          ctx.sources.locate(pointer),
          `The path template has {${name}}, but ${method.toUpperCase()} ${path} declares no path parameter "${name}".`,
          `Add { name: ${name}, in: path, required: true, schema: { type: string } } to the operation's (or the path's) parameters.`,
        ),
      );
    }
  }
  for (const [name, at] of declared) {
    if (!inTemplate.has(name)) {
      ctx.errors.push(
        new BuildError(
          ctx.sources.locate(at),
          `The path parameter "${name}" is declared, but ${path} has no {${name}}.`,
          `Add {${name}} to the path template, or remove the parameter (or change its "in").`,
        ),
      );
    }
  }
  return inTemplate;
}

/** Whether the operation or its path item declares a query parameter of this name. */
export function declaresQuery(document: Record<string, any>, path: string, method: string, name: string): boolean {
  const declared = [document.paths[path].parameters, document.paths[path][method].parameters].flatMap((list) => (Array.isArray(list) ? list : []));
  return declared.some((raw) => {
    const { node } = follow(document, raw, "");
    return node?.in === "query" && node?.name === name;
  });
}
