/**
 * @module
 * The TypeScript an import writes into the Portico project: a stand-in for the
 * part of `@zuplo/runtime` that custom modules use and that maps cleanly onto
 * Portico's context (written from Zuplo's documented API: ZuploRequest's
 * `params`, `query`, `user`; ZuploContext's `log`, `waitUntil`, `requestId`,
 * `route`, `custom`; `environment`), and one small adapter per use of a module.
 */

/** What policies/zuplo/runtime.ts exports; a module importing anything else from @zuplo/runtime is reported. */
export const SHIM_EXPORTS = ["ZuploRequest", "ZuploContext", "ZuploUser", "environment", "CustomRateLimitDetails"];

export const RUNTIME_SHIM = `/**
 * The part of Zuplo's \`@zuplo/runtime\` the imported modules use, on Portico's
 * context. Written by \`portico import zuplo\`; imported modules read it where
 * they imported @zuplo/runtime.
 */
import type { Context } from "portico";

/** request.user: what authentication proved (sub) and the consumer's metadata (data). */
export interface ZuploUser {
  sub: string;
  data: Record<string, unknown>;
}

export class ZuploRequest extends Request {
  params: Record<string, string> = {};
  user: ZuploUser | undefined;
  readonly query: Record<string, string>;
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(input, init);
    if (input instanceof ZuploRequest) {
      this.params = input.params;
      this.user = input.user;
    }
    this.query = Object.fromEntries(new URL(this.url).searchParams);
  }
}

type LogMethod = (...values: unknown[]) => void;

export interface ZuploContext {
  readonly requestId: string;
  readonly route: { path: string; method: string; operationId: string };
  readonly log: { debug: LogMethod; info: LogMethod; warn: LogMethod; error: LogMethod };
  readonly custom: Record<string, unknown>;
  waitUntil(promise: Promise<unknown>): void;
}

export interface CustomRateLimitDetails {
  key: string;
  requestsAllowed?: number;
  timeWindowMinutes?: number;
}

/** The Worker's vars and secrets (strings), filled on the first request. */
export const environment: Record<string, string | undefined> = {};
let environmentFilled = false;

function fillEnvironment(env: Record<string, unknown>): void {
  if (environmentFilled) return;
  for (const [name, value] of Object.entries(env)) if (typeof value === "string") environment[name] = value;
  environmentFilled = true;
}

export function zuploRequest(request: Request, ctx: Context): ZuploRequest {
  fillEnvironment(ctx.env);
  const adapted = new ZuploRequest(request);
  adapted.params = { ...ctx.params };
  adapted.user = ctx.consumer && { sub: ctx.consumer.id, data: ctx.consumer.metadata };
  return adapted;
}

const text = (values: unknown[]) => values.map((value) => (typeof value === "string" ? value : JSON.stringify(value))).join(" ");

export function zuploContext(ctx: Context): ZuploContext {
  fillEnvironment(ctx.env);
  // One bag entry, so the policies and the handler of a request share context.custom as on Zuplo.
  let custom = ctx.bag.get("zuplo.custom") as Record<string, unknown> | undefined;
  if (!custom) ctx.bag.set("zuplo.custom", (custom = {}));
  return {
    requestId: ctx.requestId,
    route: ctx.route,
    custom,
    log: {
      debug: (...values) => ctx.log.debug(text(values)),
      info: (...values) => ctx.log.info(text(values)),
      warn: (...values) => ctx.log.warn(text(values)),
      error: (...values) => ctx.log.error(text(values)),
    },
    waitUntil: (promise) => ctx.waitUntil(promise),
  };
}

/** A handler may answer with a Response or with any value, sent as JSON. */
export function zuploResponse(value: unknown): Response {
  if (value instanceof Response) return value;
  if (typeof value === "string") return new Response(value, { headers: { "content-type": "text/plain;charset=UTF-8" } });
  return Response.json(value);
}

/** Options as policies.json wrote them, with each $env(NAME) read from the Worker's vars. */
export function withEnv<T>(options: T, env: Record<string, unknown>): T {
  return JSON.parse(JSON.stringify(options), (_key, value) =>
    typeof value === "string" ? value.replace(/\\$env\\(([A-Za-z_][A-Za-z0-9_]*)\\)/g, (_m, name: string) => String(env[name] ?? "")) : value,
  );
}
`;

const header = (what: string) => `// Written by \`portico import zuplo\`: ${what}\n`;

/** Imports `exportName` from the copied module as `target`. */
function importLine(exportName: string, modulePath: string, target: string): string {
  const from = JSON.stringify(modulePath);
  const line = exportName === "default" ? `import zuploModule from ${from};\n` : `import { ${exportName} as zuploModule } from ${from};\n`;
  // Zuplo passes every argument (policyName last), and a module may declare fewer: called as a plain function.
  return `${line}const ${target} = zuploModule as (...args: any[]) => any;\n`;
}

export function handlerAdapter(exportName: string, modulePath: string, origin: string): string {
  return (
    header(`the handler ${origin}, on Portico's handler API.`) +
    `import { defineHandler } from "portico";\n` +
    `import { zuploContext, zuploRequest, zuploResponse } from "./runtime.ts";\n` +
    importLine(exportName, modulePath, "zuploHandler") +
    `\nexport default defineHandler({\n  async handle(request, ctx) {\n    return zuploResponse(await zuploHandler(zuploRequest(request, ctx), zuploContext(ctx)));\n  },\n});\n`
  );
}

export function policyAdapter(
  kind: "inbound" | "outbound",
  exportName: string,
  modulePath: string,
  policyName: string,
  options: unknown,
  origin: string,
): string {
  const call =
    kind === "inbound"
      ? `  async inbound(request, ctx) {\n    return zuploPolicy(zuploRequest(request, ctx), zuploContext(ctx), withEnv(OPTIONS, ctx.env), POLICY_NAME);\n  },\n`
      : `  async outbound(response, request, ctx) {\n    return zuploPolicy(response, zuploRequest(request, ctx), zuploContext(ctx), withEnv(OPTIONS, ctx.env), POLICY_NAME);\n  },\n`;
  return (
    header(`the ${kind} policy ${origin}, on Portico's policy API.`) +
    `import { definePolicy } from "portico";\n` +
    `import { withEnv, zuploContext, zuploRequest } from "./runtime.ts";\n` +
    importLine(exportName, modulePath, "zuploPolicy") +
    `\nconst POLICY_NAME = ${JSON.stringify(policyName)};\nconst OPTIONS = ${JSON.stringify(options ?? {}, null, 2)};\n\n` +
    `export default definePolicy({\n${call}});\n`
  );
}

/** Zuplo's `(request, context, policyName) => CustomRateLimitDetails` as rate-limit's `(request, ctx) => { key, limit, window }`. */
export function rateLimitKeyAdapter(exportName: string, modulePath: string, policyName: string, origin: string): string {
  return (
    header(`the rate-limit function ${origin}, as rate-limit's key function.`) +
    `import type { Context } from "portico";\n` +
    `import { zuploContext, zuploRequest } from "./runtime.ts";\n` +
    importLine(exportName, modulePath, "zuploKey") +
    `\nexport default async function (request: Request, ctx: Context) {\n` +
    `  const details = await zuploKey(zuploRequest(request, ctx), zuploContext(ctx), ${JSON.stringify(policyName)});\n` +
    `  if (!details) return undefined;\n` +
    `  const window = details.timeWindowMinutes === undefined ? undefined : details.timeWindowMinutes * 60;\n` +
    `  return { key: details.key, limit: details.requestsAllowed, window };\n}\n`
  );
}

/** Zuplo's set-query-params-inbound, which has no built-in counterpart here. */
export const SET_QUERY_PARAMS = `// Written by \`portico import zuplo\`: sets query parameters on the request, as Zuplo's set-query-params-inbound.
import { definePolicy } from "portico";

export default definePolicy({
  options: {
    type: "object",
    properties: {
      params: {
        type: "array",
        items: {
          type: "object",
          properties: { name: { type: "string" }, value: { type: "string" }, overwrite: { type: "boolean" } },
          required: ["name", "value"],
          additionalProperties: false,
        },
      },
    },
    required: ["params"],
    additionalProperties: false,
  },
  inbound(request, _ctx, options) {
    const url = new URL(request.url);
    for (const param of options.params) {
      if (param.overwrite === false && url.searchParams.has(param.name)) continue;
      url.searchParams.set(param.name, param.value);
    }
    return new Request(url, request);
  },
});
`;
