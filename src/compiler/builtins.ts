/**
 * @module
 * The built-in policies and handlers the compiler knows by name. Only their
 * options schemas (plain data) and build-time `prepare` steps are imported
 * here; their runtime code is imported by the generated app alone.
 */
import { fileURLToPath } from "node:url";
import { options as forwardOptions } from "../handlers/forward/options.ts";
import { prepareForward } from "../handlers/forward/prepare.ts";
import { options as mockOptions } from "../handlers/mock/options.ts";
import { prepareMock, type PrepareInput } from "../handlers/mock/prepare.ts";
import { options as redirectOptions } from "../handlers/redirect/options.ts";
import { options as corsOptions } from "../policies/cors/options.ts";
import { options as ipFilterOptions } from "../policies/ip-filter/options.ts";
import { options as removeHeadersOptions } from "../policies/remove-headers/options.ts";
import { options as requestIdOptions } from "../policies/request-id/options.ts";
import { options as setHeadersOptions } from "../policies/set-headers/options.ts";
import { options as rateLimitOptions } from "../policies/rate-limit/options.ts";
import { instanceIdentity, prepareRateLimit } from "../policies/rate-limit/prepare.ts";
import { options as quotaOptions } from "../policies/quota/options.ts";
import { options as validateResponseOptions } from "../policies/validate-response/options.ts";
import { prepareResponses } from "../policies/validate-response/prepare.ts";
import { options as sizeLimitOptions } from "../policies/size-limit/options.ts";

export type Hook = "inbound" | "outbound" | "handle";

/** What the build knows about the operation a built-in is used on. */
export interface BuildTimeOperation extends PrepareInput {
  path: string;
  /** JSON pointer of the operation in the bundled document. */
  pointer: string;
  /** Compiles the schema at a document pointer into the response validators module; its export name. */
  validatorAt: (pointer: string) => string | undefined;
  /** Where a $ref'd object really stands. */
  follow: (value: unknown, pointer: string) => { node: any; pointer: string };
  /** x-portico.upstream of the document, if set. */
  upstream?: string;
}

export interface Builtin {
  kind: "policy" | "handler";
  /** Absolute path of the module the generated app imports. */
  module: string;
  options: object;
  hooks: Hook[];
  /** Fills in options from x-portico (template-filled at run time like the rest); throws with what to fix. */
  completeOptions?: (operation: BuildTimeOperation, options: Record<string, any>) => Record<string, unknown>;
  /** Reads the operation's document data at build time; never template-filled at run time. */
  prepare?: (operation: BuildTimeOperation) => Record<string, unknown>;
  /** A JavaScript expression merged into what `prepare` gives, in the generated app. */
  preparedCode?: string;
  /** Per instance: data and modules the generated app merges into its options; throws with what to fix. */
  prepareInstance?: (use: { where?: string; name: string; options: Record<string, any> }, moduleFile: (relative: string) => string | undefined) => { prepared?: Record<string, unknown>; modules?: Record<string, string> };
}

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url).href);

export const BUILTINS: Record<string, Builtin> = {
  forward: { kind: "handler", module: at("../handlers/forward/index.ts"), options: forwardOptions, hooks: ["handle"], completeOptions: prepareForward },
  mock: { kind: "handler", module: at("../handlers/mock/index.ts"), options: mockOptions, hooks: ["handle"], prepare: (op) => prepareMock(op) },
  redirect: { kind: "handler", module: at("../handlers/redirect/index.ts"), options: redirectOptions, hooks: ["handle"] },
  "request-id": { kind: "policy", module: at("../policies/request-id/index.ts"), options: requestIdOptions, hooks: ["inbound"] },
  "set-headers": { kind: "policy", module: at("../policies/set-headers/index.ts"), options: setHeadersOptions, hooks: ["inbound", "outbound"] },
  "rate-limit": { kind: "policy", module: at("../policies/rate-limit/index.ts"), options: rateLimitOptions, hooks: ["inbound"], prepareInstance: prepareRateLimit },
  quota: { kind: "policy", module: at("../policies/quota/index.ts"), options: quotaOptions, hooks: ["inbound"], prepareInstance: (use) => ({ prepared: instanceIdentity(use, "quota", "quota") }) },
  "validate-response": { kind: "policy", module: at("../policies/validate-response/index.ts"), options: validateResponseOptions, hooks: ["outbound"], prepare: (op) => ({ ...prepareResponses(op) }), preparedCode: "{ validators: responseValidators }" },
  "remove-headers": { kind: "policy", module: at("../policies/remove-headers/index.ts"), options: removeHeadersOptions, hooks: ["inbound", "outbound"] },
  cors: { kind: "policy", module: at("../policies/cors/index.ts"), options: corsOptions, hooks: ["inbound", "outbound"] },
  "ip-filter": { kind: "policy", module: at("../policies/ip-filter/index.ts"), options: ipFilterOptions, hooks: ["inbound"] },
  "size-limit": { kind: "policy", module: at("../policies/size-limit/index.ts"), options: sizeLimitOptions, hooks: ["inbound"] },
};
