/**
 * @module
 * Which credential a security scheme takes: `x-portico.credential`, or its
 * type's default (a JWT for bearer, oauth2 and openIdConnect). A credential the
 * type cannot carry, or a key the credential never reads, is a build error at
 * that key: written there, it would silently mean nothing.
 */
import { BuildError, joinPointer } from "../errors.ts";
import { securitySchemeExtensionSchema } from "../spec/extension-schema.ts";
import type { SourceSet } from "../spec/sources.ts";

interface Reporting {
  sources: SourceSet;
  errors: BuildError[];
}

export type Credential = "jwt" | "apiKey" | "introspection";

export const GUIDE = "docs/authentication.md";

/** Keys read only to verify signed tokens. */
const JWT_KEYS = ["jwks", "keys", "discovery", "algorithms", "typ", "clockSkew", "cooldown"];
/** Keys read for any token, signed or introspected. */
const TOKEN_KEYS = ["issuer", "audience", "consumerClaim", "tierClaim"];

/** Keys a scheme with an explicit `credential` would ignore: written there, they are a mistake. */
const IGNORED: Record<Credential, string[]> = {
  apiKey: [...JWT_KEYS, ...TOKEN_KEYS, "introspection"],
  introspection: [...JWT_KEYS, "binding"],
  jwt: ["introspection", "binding"],
};

const CREDENTIAL_WORDS: Record<Credential, string> = {
  jwt: "signed tokens (credential: jwt)",
  apiKey: "consumers' API keys (credential: apiKey)",
  introspection: "opaque tokens checked by introspection (credential: introspection)",
};

/** The credentials a kind of scheme can carry, its default first; undefined for kinds Portico cannot check. */
export function credentialsOf(scheme: Record<string, any>): { kind: string; credentials: Credential[] } | undefined {
  const http = scheme.type === "http" ? String(scheme.scheme).toLowerCase() : undefined;
  if (scheme.type === "apiKey") return { kind: "an apiKey scheme", credentials: ["apiKey"] };
  if (http === "basic") return { kind: "an http basic scheme", credentials: ["apiKey"] };
  if (http === "bearer") return { kind: "an http bearer scheme", credentials: ["jwt", "apiKey", "introspection"] };
  if (scheme.type === "oauth2") return { kind: "an oauth2 scheme", credentials: ["jwt", "introspection"] };
  if (scheme.type === "openIdConnect") return { kind: "an openIdConnect scheme", credentials: ["jwt"] };
  return undefined;
}

/** Errors for a credential the kind cannot carry, and for keys the credential would ignore. */
export function checkCredential(
  name: string,
  ext: Record<string, any>,
  pointer: string,
  kind: string,
  allowed: Credential[],
  ctx: Reporting,
): Credential | undefined {
  const written = ext.credential as Credential | undefined;
  const credential = written ?? allowed[0];
  const at = (key: string) => ctx.sources.locate(joinPointer(pointer, "x-portico", key));
  if (!allowed.includes(credential)) {
    ctx.errors.push(
      new BuildError(
        at("credential"),
        `The security scheme "${name}" is ${kind}, which cannot carry credential: ${credential}.`,
        `Use credential: ${allowed.join(" or ")} here, or another type of scheme (see ${GUIDE}#the-credential-key).`,
      ),
    );
    return undefined;
  }
  // Without `credential`, only the introspection block is new: other keys keep today's meaning.
  const ignored = written === undefined ? ["introspection"] : IGNORED[credential];
  // The schema check has filled in defaults: a key at its default says nothing, so it is no mistake.
  const defaults = securitySchemeExtensionSchema.properties as Record<string, { default?: unknown }>;
  const stray = ignored.filter((key) => ext[key] !== undefined && ext[key] !== defaults[key]?.default);
  for (const key of stray) {
    const fix =
      key === "introspection" ? `Add credential: introspection to use it, or remove it` : `Remove "${key}", or set the credential the scheme really takes`;
    ctx.errors.push(
      new BuildError(
        at(key),
        `The security scheme "${name}" takes ${CREDENTIAL_WORDS[credential]}, which never reads "${key}": the scheme would not check what "${key}" says.`,
        `${fix} (see ${GUIDE}#the-credential-key).`,
      ),
    );
  }
  return stray.length > 0 ? undefined : credential;
}
