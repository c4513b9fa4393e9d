import type { FromSchema } from "json-schema-to-ts";

/** Options of the `cache` policy. */
export const options = {
  type: "object",
  properties: {
    ttl: {
      type: "integer",
      minimum: 1,
      maximum: 31536000,
      description:
        "Seconds an answer stays cached, whatever its Cache-Control lifetime (s-maxage, then max-age). Without it, the upstream's lifetime is used and an answer without one is not stored. no-store, no-cache, private (when shared), Set-Cookie and the status still decide.",
    },
    by: {
      enum: ["consumer", "shared"],
      description:
        "Whose answers are shared. consumer: each consumer (set by authentication) has entries of its own; callers without one share the anonymous entries, and only where the operation allows anonymous calls. shared: one entry for everyone. Defaults to consumer on an operation with security (its own or the document's) and to shared on a public one; shared on a secured operation only when written.",
    },
    vary: {
      type: "array",
      items: { type: "string", pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
      uniqueItems: true,
      default: [],
      description:
        "Request headers whose values (trimmed) make separate entries, such as Accept-Language; the operation's declared header parameters always do. An answer whose Vary names another header (Accept-Encoding aside) is not stored.",
    },
    statuses: {
      type: "array",
      items: { type: "integer", minimum: 200, maximum: 599, not: { enum: [206, 304] } },
      uniqueItems: true,
      minItems: 1,
      default: [200, 203, 204, 301, 404],
      description: "Statuses that may be stored. 206 and 304 answer one request's Range or validators and never are.",
    },
    staleWhileRevalidate: {
      type: "integer",
      minimum: 1,
      maximum: 31536000,
      description:
        "Seconds past its lifetime an entry may still be served (Cache-Status detail=stale) while one request in the background asks the handler again and stores the fresh answer. Without it, the upstream's stale-while-revalidate directive is used, if any.",
    },
    tags: {
      type: "array",
      items: { type: "string", pattern: "^[A-Za-z0-9_.:-]{1,64}$" },
      uniqueItems: true,
      default: [],
      description:
        "Names that purge this policy's entries together with those of every other cache policy carrying the same name: `portico cache purge --tag <tag>`. Every entry can also be purged by its route (operationId).",
    },
    binding: {
      type: "string",
      pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
      default: "CACHE_PURGE",
      description: "The Durable Object namespace binding of the CachePurges class (wrangler.toml), which keeps each route's and tag's purge generation.",
    },
  },
  additionalProperties: false,
} as const;

export type CacheOptions = FromSchema<typeof options>;

/** Which query parameters make separate entries: those the operation declares. */
export interface QueryRule {
  /** Declared names, taken as they are. */
  names: string[];
  /** deepObject parameters: `filter[` takes `filter[color]`. */
  prefixes: string[];
  /** A declared object exploded into free-form keys: every parameter counts. */
  all: boolean;
}

/** What the build works out from the document. */
export interface CachePrepared {
  /** Where the instance is defined: two instances never share entries. */
  instance: string;
  /** The operationId of the operation it is on: what a purge by route names. */
  route: string;
  by: "consumer" | "shared";
  /** Whether the operation may be called without credentials. */
  anonymous: boolean;
  query: QueryRule;
  /** Header parameters the operation declares, lower-cased: keyed like `vary`. */
  headers: string[];
  /** Cookie parameters the operation declares. */
  cookies: string[];
}
