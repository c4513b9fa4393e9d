/**
 * @module
 * OpenAPI path templates: parsing, the router pattern, specificity order, and
 * the checks that need no operation (collisions, base path).
 */

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** A segment is static text, one whole parameter, or text and parameters mixed. */
type Segment = { kind: "static"; text: string } | { kind: "param"; name: string } | { kind: "mixed"; parts: Array<{ text: string } | { name: string }> };

export function parseTemplate(path: string): Segment[] {
  return path
    .split("/")
    .slice(1)
    .map((raw): Segment => {
      const whole = /^\{([^{}]+)\}$/.exec(raw);
      if (whole) return { kind: "param", name: whole[1] };
      if (!raw.includes("{")) return { kind: "static", text: raw };
      const parts = raw
        .split(/(\{[^{}]+\})/)
        .filter(Boolean)
        .map((p) => (p.startsWith("{") ? { name: p.slice(1, -1) } : { text: p }));
      return { kind: "mixed", parts };
    });
}

export function templateParams(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
}

/** The template with parameter names blanked: two paths with the same shape collide. */
export function shapeOf(path: string): string {
  return path.replace(/\{[^{}]+\}/g, "{}");
}

const RANK = { static: 0, mixed: 1, param: 2 } as const;

/** Static segments before templated ones, position by position (OpenAPI's matching rule). */
export function compareSpecificity(a: string, b: string): number {
  const sa = parseTemplate(a);
  const sb = parseTemplate(b);
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const rank = RANK[sa[i].kind] - RANK[sb[i].kind];
    if (rank !== 0) return rank;
  }
  return sb.length - sa.length || a.localeCompare(b);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The Hono pattern and, for a template with text and parameters in one segment, the template
 * (base path included) that the runtime matches itself, in linear time (src/runtime/segment-match.ts):
 * the router only sees a parameter there, since the regular expression it would need backtracks.
 */
export function routerPattern(basePath: string, path: string): { pattern: string; segmentTemplate?: string } {
  const segments = parseTemplate(path);
  let mixedIndex = 0;
  const pattern = segments
    .map((s) => {
      if (s.kind === "static") return /^[:*]|[*{}]/.test(s.text) ? `:static${mixedIndex++}{${escapeRegExp(s.text)}}` : s.text;
      if (s.kind === "param") return `:${s.name}`;
      return `:mixed${mixedIndex++}`;
    })
    .join("/");
  const hasMixed = segments.some((s) => s.kind === "mixed");
  return { pattern: basePath + "/" + pattern, segmentTemplate: hasMixed ? basePath + path : undefined };
}

/** The path part of servers[0].url, variables filled with their defaults; "" for the root. */
export function basePathOf(servers: unknown): string {
  const first = Array.isArray(servers) ? servers[0] : undefined;
  if (!first || typeof first.url !== "string") return "";
  const url = first.url.replace(/\{([^}]+)\}/g, (_: string, name: string) => String(first.variables?.[name]?.default ?? ""));
  // Read without URL when it does not parse (`http://[::1`): what follows the authority is the path.
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
  const path = absolute && URL.canParse(url) ? new URL(url).pathname : url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "").split(/[?#]/)[0];
  return path.replace(/\/+$/, "");
}
