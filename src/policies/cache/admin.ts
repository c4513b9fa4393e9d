/**
 * @module
 * POST /_portico/cache/purge with `{ "route": "<operationId>" }` or
 * `{ "tag": "<tag>" }`, sent by `portico cache purge`: one increment of the
 * route's or tag's generation in the CachePurges object, after which no
 * cache key holds the old one. Open only to PORTICO_ADMIN_TOKEN.
 */
import type { Env, Setup } from "../../runtime/builtin.ts";
import { PROBLEM, problem, type ProblemKind } from "../../runtime/errors.ts";
import { purge } from "./generations.ts";
import type { CacheOptions, CachePrepared } from "./options.ts";

/** What a purge answers: what was purged, and its generation now. */
export interface PurgeAnswer {
  route?: string;
  tag?: string;
  generation: number;
}

type Instances = ReadonlyArray<Setup<CacheOptions, CachePrepared>>;

/** The purge asked for, or why it cannot be read. */
async function askedOf(request: Request): Promise<{ route: string } | { tag: string } | string> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return 'The body must be JSON: { "route": "<operationId>" } or { "tag": "<tag>" }.';
  }
  const { route, tag, ...rest } = (body ?? {}) as Record<string, unknown>;
  if (typeof body !== "object" || Array.isArray(body) || Object.keys(rest).length > 0 || (route === undefined) === (tag === undefined)) {
    return 'Give one of route and tag, and nothing else: { "route": "<operationId>" } or { "tag": "<tag>" }.';
  }
  const value = route ?? tag;
  if (typeof value !== "string" || value === "") return `${route === undefined ? "tag" : "route"} must be a non-empty string.`;
  return route === undefined ? { tag: value } : { route: value };
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

export async function answerPurge(request: Request, env: Env, instances: Instances): Promise<Response> {
  const instance = new URL(request.url).pathname;
  const refuse = (kind: ProblemKind, detail: string, extra?: Record<string, unknown>) =>
    problem(kind, { detail, requestId: crypto.randomUUID(), instance, extra });
  const asked = await askedOf(request);
  if (typeof asked === "string") return refuse(PROBLEM.badRequest, asked);
  const purged =
    "route" in asked ? instances.filter(({ prepared }) => prepared.route === asked.route) : instances.filter(({ options }) => options.tags.includes(asked.tag));
  if (purged.length === 0) {
    if ("route" in asked) {
      const routes = sorted(instances.map(({ prepared }) => prepared.route));
      return refuse(PROBLEM.notFound, `No operation with the operationId "${asked.route}" has a cache policy. Cached routes: ${routes.join(", ")}.`, {
        routes,
      });
    }
    const tags = sorted(instances.flatMap(({ options }) => options.tags));
    const known = tags.length > 0 ? `Tags in use: ${tags.join(", ")}.` : "No cache policy has tags.";
    return refuse(PROBLEM.notFound, `No cache policy has the tag "${asked.tag}". ${known}`, { tags });
  }
  const name = "route" in asked ? `route:${asked.route}` : `tag:${asked.tag}`;
  try {
    // One object per binding: instances naming another binding keep their generations there.
    const generations = await Promise.all(sorted(purged.map(({ options }) => options.binding)).map((binding) => purge(env, binding, name)));
    const answer: PurgeAnswer = { ...asked, generation: Math.max(...generations) };
    return Response.json(answer, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return refuse(PROBLEM.serviceUnavailable, `The purge could not be recorded (${(error as Error).message ?? String(error)}). Retry it shortly.`);
  }
}
