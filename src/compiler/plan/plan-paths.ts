/**
 * @module
 * Plans every path of the document: its router pattern and place in the
 * route order, the checks that need the whole path table (colliding
 * templates, the reserved /_portico/), then each of its operations.
 */
import type { PlannedPath } from "../emit/emit.ts";
import { BuildError, joinPointer } from "../errors.ts";
import { planOperations } from "./operations.ts";
import type { PlanContext } from "./plan-context.ts";
import { basePathOf, compareSpecificity, HTTP_METHODS, routerPattern, shapeOf, templateParams } from "./paths.ts";
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
  const shapes = new Map<string, PlannedPath>();
  const planned: PlannedPath[] = [];
  // Path keys that name a path item rather than a route (`#fragment`, `?query`) join the route of their
  // plain twin, which is planned first wherever the document has it.
  const paths = Object.keys(document.paths ?? {}).sort((a, b) => Number(isVariant(a)) - Number(isVariant(b)));
  const routes = new Set(paths.filter((path) => !isVariant(path)).map(shapeOf));
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
    // `/folders/{id}#add_shared_link`: a fragment that keeps several path items on one path (Box's document).
    const routePath = routeOf(path);
    const shape = shapeOf(routePath);
    const query = path.split("#")[0].slice(routePath.length);
    if (query && (!routes.has(shape) || query.includes("{"))) {
      errors.push(
        new BuildError(
          sources.locate(pointer),
          `The path "${path}" has a query ("${query}"): requests are routed by their path alone, so it can never match.`,
          `Write the path as "${routePath}" and declare the query's parts as parameters with in: query (see docs/openapi-support.md#routing).`,
        ),
      );
      continue;
    }
    const twin = shapes.get(shape);
    const operations = await planOperations(ctx, path, gateway);
    if (twin && !isVariant(path)) {
      joinRenamed(ctx, twin, path, operations);
      continue;
    }
    if (twin) {
      joinTwin(ctx, twin, path, operations);
      continue;
    }
    const entry: PlannedPath = { path: routePath, ...routerPattern(basePath, routePath), operations };
    shapes.set(shape, entry);
    planned.push(entry);
  }
  return planned.filter((entry) => entry.operations.length > 0).sort((a, b) => compareSpecificity(a.path, b.path));
}

/** A path key that names a path item rather than a route: it has a `#fragment` or a `?query`. */
const isVariant = (path: string) => /[#?]/.test(path);

/** The part of a path key requests are routed by: without its fragment and query. */
const routeOf = (path: string) => path.split("#")[0].split("?")[0];

/**
 * Templates that differ only in their parameters' names
 * (`/attestations/{subject_digest}` and `/attestations/{attestation_id}`)
 * match the same requests. OpenAPI forbids them, but real documents have them
 * (GitHub's): with disjoint methods they share one route, each operation
 * reading the parameters under its own names, and the build warns; the same
 * method on both is an error, as one of them could never be reached.
 */
function joinRenamed(ctx: PlanContext, twin: PlannedPath, path: string, operations: PlannedPath["operations"]): void {
  const at = ctx.sources.locate(joinPointer("/paths", path));
  const shared = operations.filter((op) => twin.operations.some((other) => other.method === op.method)).map((op) => op.method);
  if (shared.length > 0) {
    const message = `The path "${path}" collides with "${twin.path}": both match the same requests, and both declare ${shared.join(", ")}.`;
    ctx.errors.push(new BuildError(at, message, "Merge the two path items into one, using one parameter name."));
    return;
  }
  const ownNames = templateParams(routeOf(path));
  const routeNames = templateParams(twin.path);
  const renamed = routeNames.map((name, i): [string, string] => [name, ownNames[i]]).filter(([name, own]) => name !== own);
  for (const op of operations) twin.operations.push({ ...op, renamedParams: renamed });
  ctx.warnings.push(
    new BuildError(
      at,
      `The path "${path}" differs from "${twin.path}" only in its parameters' names, which OpenAPI forbids (templated paths with the same hierarchy are identical). Their methods differ, so each operation is routed by its method and reads its own names.`,
      "Merge the two path items into one, using one parameter name, when you can change the document.",
      "warning",
    ),
  );
}

/**
 * Path items that share one path through a fragment (Box's document) or a
 * query (OpenAI's `?beta=true`) join its route, a method each: the router
 * reads neither, so the second operation on the same method can never be
 * reached, and one joined by its query answers whatever the query. The build
 * says so.
 */
function joinTwin(ctx: PlanContext, twin: PlannedPath, path: string, operations: PlannedPath["operations"]): void {
  const byQuery = path.split("#")[0].includes("?");
  const unread = byQuery ? "requests are routed by their path alone" : "a request cannot carry the fragment";
  for (const op of operations) {
    const at = ctx.sources.locate(joinPointer("/paths", path, op.method.toLowerCase()));
    const taken = twin.operations.find((other) => other.method === op.method);
    if (!taken) {
      twin.operations.push(op);
      if (byQuery) {
        const message = `${op.method} ${path} answers every ${op.method} ${twin.path}, whatever its query: ${unread}.`;
        ctx.warnings.push(new BuildError(at, message, "Give the operation a path of its own, or drop the query from its path.", "warning"));
      }
      continue;
    }
    ctx.warnings.push(
      new BuildError(
        at,
        `${op.method} ${path} shares ${op.method} ${twin.path} with ${taken.operationId}: ${unread}, so every such request goes to ${taken.operationId} and this operation is never reached.`,
        "Give the operation a path of its own, or merge it into the other one.",
        "warning",
      ),
    );
  }
}
