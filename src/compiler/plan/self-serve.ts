/**
 * @module
 * Consumers' self-service, planned from the document and portal.config: the
 * consumers admin routes (/_portico/consumers/…) whenever a security scheme
 * reads consumers from the CONSUMERS namespace, and the portal's sign-in and
 * "My keys" pages when portal.config has an `auth` section, with what those
 * pages show (the limits per tier, how to send a key, where usage is kept).
 */
import { fileURLToPath } from "node:url";
import { portalBasePath, readPortalConfig } from "../../portal-input.ts";
import { CONSUMERS_BINDING, SELF_SERVE_ROUTES, type KeyPlacement, type LimitSummary, type SelfServeConfig } from "../../selfserve/config.ts";
import { BuildError } from "../errors.ts";
import type { PlannedPath } from "../emit/emit.ts";
import type { ResolvedUse } from "./policies.ts";
import { portalOperations } from "./portal-input.ts";
import { readWranglerToml } from "./bindings.ts";

const CONSUMERS_ADMIN = fileURLToPath(new URL("../../selfserve/consumers-admin.ts", import.meta.url).href);
const SELF_SERVE = fileURLToPath(new URL("../../selfserve/index.ts", import.meta.url).href);
const CONFIG_FILE = "portal/portal.config";
const GUIDE = "docs/portal.md#sign-in-and-self-serve-keys";
const TIER = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export interface SelfServePlan {
  admin: Array<{ name: string; module: string; uses: ResolvedUse[] }>;
  mounts: Array<{ module: string; config: SelfServeConfig }>;
  errors: BuildError[];
  warnings: BuildError[];
}

/** The security schemes of the document that read consumers from CONSUMERS, by name. */
function consumerSchemes(paths: PlannedPath[]): Set<string> {
  const names = new Set<string>();
  for (const use of paths.flatMap((path) => path.operations.flatMap((op) => op.inbound))) {
    for (const need of use.builtin?.kv?.(use) ?? []) {
      if (need.binding === CONSUMERS_BINDING && need.at[0] === "components" && need.at[1] === "securitySchemes") names.add(need.at[2]);
    }
  }
  return names;
}

function placementOf(document: Record<string, any>, schemes: Set<string>): KeyPlacement | undefined {
  for (const name of schemes) {
    const scheme = document.components?.securitySchemes?.[name] ?? {};
    if (scheme.type === "apiKey" && ["header", "query", "cookie"].includes(scheme.in)) return { in: scheme.in, name: String(scheme.name) };
    if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "bearer") return { in: "bearer" };
  }
  return undefined;
}

/** Each rate limit and quota once, with the operations it counts. */
function limitsOf(paths: PlannedPath[]): LimitSummary[] {
  const byName = new Map<string, LimitSummary>();
  for (const op of portalOperations(paths)) {
    for (const limit of op.limits) {
      if (limit.kind === "cache") continue;
      const key = `${limit.kind} ${limit.name}`;
      let summary = byName.get(key);
      if (!summary) {
        const per = limit.kind === "rate-limit" ? `${limit.window ?? 60} s` : (limit.period ?? "month");
        const tiers = Object.fromEntries(Object.entries(limit.tiers ?? {}).map(([tier, value]) => [tier, value.limit]));
        byName.set(key, (summary = { kind: limit.kind, name: limit.name, limit: limit.limit, per, by: limit.by, tiers, operations: [] }));
      }
      if (!summary.operations.includes(op.operationId)) summary.operations.push(op.operationId);
    }
  }
  return [...byName.values()];
}

/** Whether wrangler.toml sends `path` to the Worker before the static assets. */
function runsWorkerFirst(assets: Record<string, any> | undefined, path: string): boolean {
  const first = assets?.run_worker_first;
  if (first === true) return true;
  if (!Array.isArray(first)) return false;
  const positive = first.filter((rule: unknown): rule is string => typeof rule === "string" && !rule.startsWith("!"));
  return positive.some((rule) => rule === path || (rule.endsWith("/*") && path.startsWith(rule.slice(0, -1))));
}

function checkAuth(auth: Record<string, any>, errors: BuildError[]): void {
  const error = (pointer: string, message: string, hint: string) => errors.push(new BuildError({ file: CONFIG_FILE, pointer }, message, hint));
  for (const name of ["issuer", "clientId", "clientSecret"]) {
    if (typeof auth[name] !== "string" || auth[name] === "") error(`/auth/${name}`, `auth.${name} must be a non-empty string.`, `See ${GUIDE}.`);
  }
  const { issuer, clientSecret, consumerPrefix, tier } = auth;
  if (typeof issuer === "string" && !issuer.includes("${env.")) {
    let url: URL | undefined;
    try {
      url = new URL(issuer);
    } catch {
      // refused below
    }
    if (!url || !(url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname)))) {
      error(
        "/auth/issuer",
        `auth.issuer "${issuer}" is not an https URL.`,
        "Give the provider's issuer URL (https://…); http is accepted only on localhost or 127.0.0.1, for development.",
      );
    }
  }
  if (typeof clientSecret === "string" && clientSecret !== "" && !clientSecret.includes("${env.")) {
    error(
      "/auth/clientSecret",
      "auth.clientSecret is written in the file: anyone who can read the repository has it.",
      'Keep it in a Worker secret: clientSecret: "${env.PORTAL_CLIENT_SECRET}", then `wrangler secret put PORTAL_CLIENT_SECRET` (or a line in .dev.vars for `npm run dev`).',
    );
  }
  if (consumerPrefix !== undefined && (typeof consumerPrefix !== "string" || !/^[\x21-\x7e]{0,40}$/.test(consumerPrefix))) {
    error("/auth/consumerPrefix", "auth.consumerPrefix must be up to 40 printable characters without spaces.", 'The default is "portal:".');
  }
  if (tier !== undefined && (typeof tier !== "string" || !TIER.test(tier))) error("/auth/tier", "auth.tier must be a tier name such as free.", `See ${GUIDE}.`);
}

export function planSelfServe(root: string, document: Record<string, any>, paths: PlannedPath[]): SelfServePlan {
  const plan: SelfServePlan = { admin: [], mounts: [], errors: [], warnings: [] };
  const schemes = consumerSchemes(paths);
  if (schemes.size > 0) plan.admin.push({ name: "consumers", module: CONSUMERS_ADMIN, uses: [] });
  const basePath = portalBasePath(root);
  const settings = basePath === undefined ? {} : readPortalConfig(root);
  if (basePath === undefined || settings.auth === undefined) return plan;
  const auth = settings.auth;
  if (typeof auth !== "object" || auth === null || Array.isArray(auth)) {
    plan.errors.push(new BuildError({ file: CONFIG_FILE, pointer: "/auth" }, "auth must be a mapping: { issuer, clientId, clientSecret }.", `See ${GUIDE}.`));
    return plan;
  }
  checkAuth(auth, plan.errors);
  if (plan.errors.length > 0) return plan;
  const warn = (pointer: string, message: string, hint: string) => plan.warnings.push(new BuildError({ file: CONFIG_FILE, pointer }, message, hint, "warning"));
  if (schemes.size === 0) {
    warn(
      "/auth",
      "Developers can make keys in the portal, but no security scheme reads consumers from CONSUMERS: no operation takes them.",
      "Add an apiKey security scheme and list it in security.",
    );
  }
  const assets = readWranglerToml(root)?.assets;
  const missing = SELF_SERVE_ROUTES.map((route) => `${basePath}/${route}`).filter((path) => !runsWorkerFirst(assets, path));
  if (missing.length > 0) {
    warn(
      "/auth",
      `wrangler.toml's [assets] does not send ${missing.join(", ")} to the Worker first: the static portal may answer them.`,
      `Add to [assets]: run_worker_first = ${JSON.stringify(missing)}`,
    );
  }
  if (typeof assets?.binding !== "string") {
    warn("/auth", "wrangler.toml's [assets] has no binding: the key pages are shown without the portal's navigation.", 'Add binding = "ASSETS" to [assets].');
  }
  const usage = document["x-portico"]?.telemetry?.usage;
  const config: SelfServeConfig = {
    basePath,
    title: String(settings.title ?? document.info?.title ?? "API"),
    auth: { issuer: auth.issuer, clientId: auth.clientId, clientSecret: auth.clientSecret },
    consumerPrefix: auth.consumerPrefix ?? "portal:",
    ...(auth.tier === undefined ? {} : { tier: auth.tier }),
    binding: CONSUMERS_BINDING,
    ...(placementOf(document, schemes) ? { placement: placementOf(document, schemes) } : {}),
    limits: limitsOf(paths),
    ...(typeof usage === "string" ? { usage } : {}),
  };
  plan.mounts.push({ module: SELF_SERVE, config });
  return plan;
}
