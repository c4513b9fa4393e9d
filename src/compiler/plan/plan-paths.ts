/**
 * @module
 * Plans every path of the document: its router pattern and place in the
 * route order, the checks that need the whole path table (colliding
 * templates, the reserved /_portico/), then each of its operations.
 */
import type { PlannedPath } from "../emit/emit.ts";
import { BuildError, joinPointer } from "../errors.ts";
import { planOperations, type PlanContext } from "./operations.ts";
import { basePathOf, compareSpecificity, HTTP_METHODS, routerPattern, shapeOf } from "./paths.ts";
import type { ResolvedUse } from "./policies.ts";
import { createDeref } from "../spec/refs.ts";

/** Where the build is, for a progress line. */
export type PlanProgress = (progress: { step: "compile"; done: number; total: number }) => void;

export async function planPaths(
  ctx: PlanContext,
  gateway: { inbound: ResolvedUse[]; outbound: ResolvedUse[] },
  onProgress?: PlanProgress,
): Promise<PlannedPath[]> {
  const { document, sources, errors } = ctx;
  const deref = createDeref(document);
  const basePath = basePathOf(document.servers);
  const shapes = new Map<string, string>();
  const planned: PlannedPath[] = [];
  const paths = Object.keys(document.paths ?? {});
  const operationsIn = (path: string) => HTTP_METHODS.filter((method) => deref(document.paths[path])?.[method]).length;
  const total = paths.reduce((n, path) => n + operationsIn(path), 0);
  let done = 0;
  for (const path of paths) {
    onProgress?.({ step: "compile", done, total });
    done += operationsIn(path);
    const pointer = joinPointer("/paths", path);
    document.paths[path] = deref(document.paths[path]);
    if (!path.startsWith("/")) {
      errors.push(new BuildError(sources.locate(pointer), `The path "${path}" does not start with "/".`, `Write it as "/${path}".`));
      continue;
    }
    if (path === "/_portico" || path.startsWith("/_portico/")) {
      errors.push(
        new BuildError(
          sources.locate(pointer),
          `The path "${path}" is under /_portico/, which the gateway keeps for its own admin routes.`,
          "Choose another path for this operation.",
        ),
      );
      continue;
    }
    const shape = shapeOf(path);
    const twin = shapes.get(shape);
    if (twin) {
      errors.push(
        new BuildError(
          sources.locate(pointer),
          `The path "${path}" collides with "${twin}": both match the same requests.`,
          "Merge the two path items into one, using one parameter name.",
        ),
      );
      continue;
    }
    shapes.set(shape, path);
    const operations = await planOperations(ctx, path, gateway);
    if (operations.length > 0) planned.push({ path, ...routerPattern(basePath, path), operations });
  }
  return planned.sort((a, b) => compareSpecificity(a.path, b.path));
}
