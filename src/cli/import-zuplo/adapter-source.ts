/**
 * @module
 * The TypeScript an import writes into the Portico project beside the
 * stand-in for `@zuplo/runtime` (runtime-shim.ts): one small adapter per use
 * of a module, on Portico's policy and handler API.
 */

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
