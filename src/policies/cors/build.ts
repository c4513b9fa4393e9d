import type { FromSchema } from "json-schema-to-ts";
import { describeBuiltin, type Finding, type Use } from "../../builtin-descriptor.ts";
import { options } from "./options.ts";

type CorsOptions = FromSchema<typeof options>;

/**
 * With credentials, an allowed origin can call the API as the signed-in user.
 * `"*"` would make that every site: refused (browsers ignore `*` with
 * credentials anyway). `https://*.example.com` takes the subdomains of one
 * site; over a whole top-level domain (`https://*.test`, `https://*.com`) it
 * takes every site there: warned.
 */
function credentialedWildcards(use: Use<CorsOptions>): Finding[] {
  if (!use.options.credentials) return [];
  return use.options.origins.flatMap((origin, i): Finding[] => {
    if (origin === "*") {
      return [
        {
          severity: "error",
          pointer: `${use.where}/options/origins/${i}`,
          message: `"cors" cannot take the origin "*" with credentials: true: every site could call the API as the signed-in user.`,
          hint: 'List the origins that may call with credentials ("https://app.example.com", "https://*.example.com"), or drop credentials; see docs/policies.md#cors.',
        },
      ];
    }
    const suffix = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/\*\.(.*)$/.exec(origin)?.[1];
    if (suffix === undefined || suffix.replace(/:\d+$/, "").includes(".")) return [];
    return [
      {
        severity: "warning",
        pointer: `${use.where}/options/origins/${i}`,
        message: `The CORS origin "${origin}" takes every site under .${suffix.replace(/:\d+$/, "")}, and credentials: true lets each of them call the API as the signed-in user.`,
        hint: `List your own origins (such as "https://app.example${origin.slice(origin.indexOf("*.") + 1)}"), or a wildcard under a domain of yours ("https://*.example.com"); see docs/policies.md#cors.`,
      },
    ];
  });
}

export default describeBuiltin<CorsOptions>({
  name: "cors",
  kind: "policy",
  summary: "Lets browsers on the listed origins call the API: answers preflights and adds the CORS headers to every response, errors included.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["preflight", "finish"],
  check: credentialedWildcards,
});
