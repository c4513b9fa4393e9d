/**
 * @module
 * Every built-in the compiler knows: one line each, its folder's descriptor.
 * Nothing else in the compiler or the runtime names a built-in.
 */
import type { BuiltinDescriptor } from "../builtin-descriptor.ts";

const descriptors = await Promise.all([
  import("../handlers/aggregate/build.ts"),
  import("../handlers/forward/build.ts"),
  import("../handlers/llm/build.ts"),
  import("../handlers/mock/build.ts"),
  import("../handlers/redirect/build.ts"),
  import("../policies/authenticate/build.ts"),
  import("../policies/cache/build.ts"),
  import("../policies/cors/build.ts"),
  import("../policies/ip-filter/build.ts"),
  import("../policies/quota/build.ts"),
  import("../policies/rate-limit/build.ts"),
  import("../policies/remove-headers/build.ts"),
  import("../policies/request-id/build.ts"),
  import("../policies/set-headers/build.ts"),
  import("../policies/size-limit/build.ts"),
  import("../policies/token-limit/build.ts"),
  import("../policies/usage/build.ts"),
  import("../policies/validate-request/build.ts"),
  import("../policies/validate-response/build.ts"),
]);

/** The descriptors by `use:` name. */
export const BUILTINS: ReadonlyMap<string, BuiltinDescriptor<any, any>> = new Map(descriptors.map(({ default: descriptor }) => [descriptor.name, descriptor]));
