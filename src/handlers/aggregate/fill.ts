/**
 * @module
 * Fills a part's url, parsed at build: `${env.X}` once at set-up, the
 * request's values per request, each percent-encoded so that it stays one
 * path segment or one query value (`../` arrives as `..%2F`, `?` as `%3F`).
 */
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import { MissingEnvError, UnsafeParamError } from "../../runtime/templates.ts";
import type { Consumer } from "../../runtime/types.ts";
import type { Segment } from "./options.ts";

/** A url after set-up: text, and the request's values to put in it. */
export type RequestSegment = Exclude<Segment, { from: "env" }>;

/** Puts the env's values in, joining text to text: a request then only fills the rest. */
export function withEnv(segments: readonly Segment[], env: Record<string, unknown>): RequestSegment[] {
  const out: RequestSegment[] = [];
  for (const segment of segments) {
    let piece: RequestSegment;
    if (typeof segment !== "string" && segment.from === "env") {
      const value = env[segment.name];
      if (typeof value !== "string") throw new MissingEnvError(segment.name);
      piece = value;
    } else piece = typeof segment === "string" ? segment : { ...segment };
    const last = out.at(-1);
    if (typeof piece === "string" && typeof last === "string") out[out.length - 1] = last + piece;
    else out.push(piece);
  }
  return out;
}

/** What a request gives a url. */
export interface RequestValues {
  params: Readonly<Record<string, string>>;
  query?: URLSearchParams;
  consumer?: Consumer;
}

/** A value URL parsers read as a path step: `.` or `..`, even percent-encoded, so it is refused in a path. */
const isDotSegment = (value: string) => value === "." || value === "..";

/** The url of one request; undefined when it names the consumer and the request has none. */
export function fillUrl(segments: readonly RequestSegment[], values: RequestValues): string | undefined {
  let url = "";
  for (const segment of segments) {
    if (typeof segment === "string") {
      url += segment;
      continue;
    }
    let value: string;
    if (segment.from === "params") value = values.params[segment.name] ?? "";
    else if (segment.from === "query") value = values.query?.get(segment.name) ?? "";
    else {
      if (!values.consumer) return undefined;
      value = values.consumer[segment.name as "id" | "tier" | "scheme"] ?? "";
    }
    if (segment.inPath && isDotSegment(value)) {
      if (segment.from === "params") throw new UnsafeParamError(segment.name);
      throw new GatewayError(
        PROBLEM.badRequest,
        `The ${segment.from === "query" ? `query parameter "${segment.name}"` : "consumer's " + segment.name} may not be "." or "..".`,
      );
    }
    url += encodeURIComponent(value);
  }
  return url;
}
