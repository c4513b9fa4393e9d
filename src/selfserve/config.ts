/**
 * @module
 * What the build hands the portal's sign-in and "My keys" pages (read from
 * portal/portal.config's `auth` and from the document's policies), as the
 * generated app writes it. Strings may still hold `${env.X}`: the client
 * secret is a Worker secret, filled in per env at run time.
 */

/** A limit the portal shows a developer: its allowance for each tier, and the default. */
export interface LimitSummary {
  kind: "rate-limit" | "quota";
  /** The policy's name in the document. */
  name: string;
  /** Calls allowed without a tier of the policy's own. */
  limit: number;
  /** "60 s", "day", "month". */
  per: string;
  by?: string;
  /** Tier → calls allowed. */
  tiers: Record<string, number>;
  /** The operationIds it counts. */
  operations: string[];
}

/** How a developer sends a key: a header, query parameter or cookie of the scheme, or `Authorization: Bearer`. */
export type KeyPlacement = { in: "header" | "query" | "cookie"; name: string } | { in: "bearer" };

export interface SelfServeConfig {
  /** The portal's base path, "/docs" by default ("" at the root). */
  basePath: string;
  /** The site's title, for pages made without the portal's own shell. */
  title: string;
  /** The OpenID Connect provider: `issuer` is discovered at `<issuer>/.well-known/openid-configuration`. */
  auth: { issuer: string; clientId: string; clientSecret: string };
  /** Put before the ID token's `sub` in the consumer id (portal.config `auth.consumerPrefix`, default "portal:"). */
  consumerPrefix: string;
  /** The tier of a developer's first key (portal.config `auth.tier`); later keys take the tier of the newest. */
  tier?: string;
  /** The KV binding consumers are kept in. */
  binding: string;
  /** Where the document's API-key scheme reads the key; undefined when it has none. */
  placement?: KeyPlacement;
  limits: LimitSummary[];
  /** The usage ledger's Durable Object binding, when usage is recorded in one. */
  usage?: string;
}

/** The pages under the base path the Worker answers before the static portal (wrangler.toml `run_worker_first`). */
export const SELF_SERVE_ROUTES = ["login", "callback", "logout", "keys"] as const;

/** The static page the portal build writes, whose <main> the Worker fills: the portal's own header, navigation and styles. */
export const SHELL_FILE = "self-serve-shell.html";
export const SHELL_SLOT = "<!--portico:self-serve-->";

/** The KV binding the consumers admin routes and the portal write keys to, as `portico keys` does. */
export const CONSUMERS_BINDING = "CONSUMERS";
