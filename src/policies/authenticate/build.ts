import { describeBuiltin, type KvNeed } from "../../builtin-descriptor.ts";
import type { AuthenticateOptions } from "./options.ts";
import { securitySchemeKeys } from "./scheme-keys.ts";

/** Its options are worked out by the compiler from securitySchemes and security (compiler/plan/security.ts), never written. */
const options = { type: "object" } as const;

export default describeBuiltin<AuthenticateOptions>({
  name: "authenticate",
  kind: "policy",
  summary:
    "Authentication derived from securitySchemes and security: API keys (in their own place, as bearer tokens or through HTTP basic), JWT bearer, OAuth2 token introspection and OpenID Connect.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["inbound"],
  derived: true,
  kv(use) {
    const { schemes } = use.options;
    return Object.entries(schemes).flatMap(([name, scheme]): KvNeed[] =>
      (scheme.type === "apiKey" || scheme.type === "basic" || scheme.type === "bearerKey") && scheme.binding
        ? [
            {
              binding: scheme.binding,
              at: ["components", "securitySchemes", name],
              consequence: `The security scheme "${name}" reads consumers from the KV binding ${scheme.binding}, which wrangler.toml does not declare: every request it checks gets 503.`,
            },
          ]
        : [],
    );
  },
  // Named by what it asks for (`authenticate_staffTokenOrApiKey`), as many operations share one.
  label(use) {
    const { requirements } = use.options;
    if (requirements.length === 0) return "public";
    return requirements.map((requirement) => (requirement.length === 0 ? "anonymous" : requirement.map(({ scheme }) => scheme).join(" and "))).join(" or ");
  },
  extension: { securityScheme: securitySchemeKeys },
});
