/**
 * @module
 * Requests the gateway and the upstream could read as two different requests,
 * refused by the router before any step runs, whether or not the operation
 * validates:
 *
 * - a path parameter whose percent-encoding does not decode to UTF-8 (`%zz`,
 *   the overlong `%c0%ae`): the router keeps such a value as sent, and forward
 *   would re-encode it into one the client never wrote (`%25zz`);
 * - a `_method` query parameter the operation does not declare: Rails,
 *   Laravel, Symfony and others read it as the method, so an upstream could
 *   run a DELETE where the gateway authenticated a GET or a POST.
 */
import { PROBLEM, problem, type ProblemBase } from "./errors.ts";
import type { CompiledOperation, CompiledPath } from "./route-table.ts";
import { segmentMatcher } from "./segment-match.ts";

interface Refusal {
  in: "path" | "query";
  name: string;
  message: string;
}

/** A route's path parameters as sent, still percent-encoded: name and raw value. */
type RawParams = (pathname: string) => Array<[string, string]>;

const rawReaders = new WeakMap<CompiledPath, RawParams>();

function rawParamsOf(entry: CompiledPath): RawParams {
  let read = rawReaders.get(entry);
  if (read) return read;
  if (entry.segmentTemplate) {
    const match = segmentMatcher(entry.segmentTemplate);
    read = (pathname) => match(pathname) ?? [];
  } else {
    // `/v1/files/:name`: a parameter is a whole segment; `:static0{…}` and the like are not parameters.
    const slots = entry.pattern.split("/").flatMap((segment, index): Array<[string, number]> => (/^:[^{]+$/.test(segment) ? [[segment.slice(1), index]] : []));
    read = (pathname) => {
      const segments = pathname.split("/");
      return slots.map(([name, index]) => [name, segments[index] ?? ""]);
    };
  }
  rawReaders.set(entry, read);
  return read;
}

function decodes(raw: string): boolean {
  try {
    decodeURIComponent(raw);
    return true;
  } catch {
    return false;
  }
}

/** `_method`, and what PHP reads as it: leading spaces dropped, then a `.` or unclosed `[` read as `_`. */
const METHOD_PARAMETER = /^ *[_.[]method$/;

function refusals(url: URL, entry: CompiledPath, op: CompiledOperation): Refusal[] {
  const found: Refusal[] = [];
  if (url.pathname.includes("%")) {
    for (const [name, raw] of rawParamsOf(entry)(url.pathname)) {
      if (!decodes(raw)) found.push({ in: "path", name, message: `Path parameter "${name}" has invalid percent-encoding.` });
    }
  }
  if (!op.takesMethodParameter && url.search) {
    for (const name of new Set(url.searchParams.keys())) {
      if (METHOD_PARAMETER.test(name)) {
        found.push({
          in: "query",
          name,
          message: `Query parameter "${name}" is refused: this operation does not declare it, and some servers read it as the request's method.`,
        });
      }
    }
  }
  return found;
}

/** The 400 for a request the upstream could read as another, or undefined to go on. */
export function refuseAmbiguous(
  request: Request,
  entry: CompiledPath,
  op: CompiledOperation,
  ids: { requestId: string; traceId: string },
  base: ProblemBase,
): Response | undefined {
  // Most requests carry neither a `%` nor a `method`: no URL is parsed for them.
  const href = request.url;
  if (!href.includes("%") && !href.includes("method")) return undefined;
  const url = new URL(href);
  const errors = refusals(url, entry, op);
  if (errors.length === 0) return undefined;
  return problem(PROBLEM.badRequest, {
    detail: errors.map((error) => error.message).join(" "),
    instance: url.pathname,
    ...ids,
    base,
    extra: { errors },
  });
}
