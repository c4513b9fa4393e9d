/**
 * @module
 * What a security scheme's checks fetch and verify with: its `jwks`,
 * `discovery` and introspection `url` must be URLs the gateway can fetch, and
 * its `algorithms` must be ones its keys can verify. Either mistake would
 * refuse every token at run time, so it fails the build at its key.
 */
import { urlTemplateProblem } from "../../url-template.ts";
import { BuildError, joinPointer } from "../errors.ts";
import type { SourceSet } from "../spec/sources.ts";
import { GUIDE } from "./scheme-credential.ts";

interface Reporting {
  sources: SourceSet;
  errors: BuildError[];
}

/** HMAC algorithms: verified with a shared secret, never with the public keys a key set holds. */
const HMAC = /^HS\d+$/;

/** Reports each unusable endpoint and algorithm of the scheme; false when there was one. */
export function checkEndpoints(name: string, ext: Record<string, any>, pointer: string, ctx: Reporting): boolean {
  const before = ctx.errors.length;
  const at = (...tokens: Array<string | number>) => ctx.sources.locate(joinPointer(pointer, "x-portico", ...tokens));
  const urls: Array<[string[], unknown]> = [
    [["jwks"], ext.jwks],
    [["discovery"], ext.discovery],
    [["introspection", "url"], ext.introspection?.url],
  ];
  for (const [tokens, url] of urls) {
    const problem = typeof url === "string" ? urlTemplateProblem(url) : undefined;
    if (!problem) continue;
    ctx.errors.push(
      new BuildError(at(...tokens), `The ${tokens.join(" ")} of the security scheme "${name}", "${url}", ${problem.reason}.`, `${problem.hint} See ${GUIDE}.`),
    );
  }
  for (const [i, algorithm] of (Array.isArray(ext.algorithms) ? ext.algorithms : []).entries()) {
    if (!HMAC.test(String(algorithm))) continue;
    const source = ext.keys !== undefined ? "keys" : ext.jwks !== undefined ? "jwks" : "discovery";
    // RFC 8725 §3.1: keys are never mixed across algorithm families. A key set published at a URL is public:
    // an HMAC secret in it would let anyone sign tokens; and jose never verifies HMAC with a key set.
    const why =
      source === "keys"
        ? `its keys are public keys (a JWKS or an SPKI PEM), which never verify ${algorithm}`
        : `its ${source} serves public keys: ${algorithm} needs a shared secret, which a key set published at a URL must never hold (anyone could sign tokens with it)`;
    ctx.errors.push(
      new BuildError(
        at("algorithms", i),
        `The security scheme "${name}" accepts ${algorithm}, but ${why}: every ${algorithm} token would be refused.`,
        `Accept the asymmetric algorithm your identity provider signs with (RS256, ES256, EdDSA, …: each key of its JWKS names its alg); see ${GUIDE}#a-security-schemes-x-portico.`,
      ),
    );
  }
  return ctx.errors.length === before;
}
