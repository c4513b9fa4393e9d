/**
 * @module
 * A Zuplo route's path as an OpenAPI path template. In Zuplo's URL Pattern
 * mode (`x-zuplo-path: { pathMode: "url-pattern" }`, docs/articles/advanced-path-matching)
 * a path may hold named segments (`:id`), which are OpenAPI's `{id}`, and
 * more: modifiers (`:id?`, `:rest*`, `:rest+`), regular expressions (`(\d+)`,
 * `/(.*)`), groups (`{/}?`). OpenAPI templates match one whole segment per
 * parameter and Portico has no multi-segment tail, so those are reported and
 * the route keeps a nearby path, the build stopping at it until it is rewritten.
 */

/** Static text and named parameters only: what one OpenAPI template says as well. */
const PLAIN = /^(?:[\w\-.~/]|:[A-Za-z_$][\w$]*)*$/;
const NAMED = /:([A-Za-z_$][\w$]*)/g;

export interface RoutePath {
  /** The OpenAPI path the route is written under. */
  path: string;
  /** Why the path could not be kept as Zuplo matched it, when it could not. */
  problem?: string;
}

/**
 * `/users/:id` → `/users/{id}`. Otherwise the segments up to the first one
 * that is more than text and names, that one as a parameter (`/files/:path*`
 * → `/files/{path}`, `/(.*)` → `/{pattern}`), and why.
 */
export function routePath(zuploPath: string, pathItem: Record<string, any>): RoutePath {
  if (pathItem["x-zuplo-path"]?.pathMode !== "url-pattern") return { path: zuploPath };
  if (PLAIN.test(zuploPath)) return { path: zuploPath.replace(NAMED, "{$1}") };
  const kept: string[] = [];
  for (const segment of zuploPath.split("/").slice(1)) {
    if (PLAIN.test(segment)) {
      kept.push(segment.replace(NAMED, "{$1}"));
      continue;
    }
    kept.push(`{${/^:([A-Za-z_$][\w$]*)/.exec(segment)?.[1] ?? "pattern"}}`);
    break;
  }
  const path = `/${kept.join("/")}`;
  const why = /:[A-Za-z_$][\w$]*[*+]$|\(\.\*\)$/.test(zuploPath)
    ? "the URL pattern matches several segments at its end, and an OpenAPI path parameter matches one"
    : "the URL pattern uses modifiers, groups or regular expressions, which an OpenAPI path cannot say";
  return { path, problem: `${why}: the route is written under ${path}, which matches differently` };
}
