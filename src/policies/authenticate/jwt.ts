/**
 * @module
 * Bearer tokens (http bearer, oauth2, openIdConnect schemes) verified with
 * jose: algorithms pinned by the scheme, never read from the token; exp
 * required; iss, aud, nbf and typ checked with a small clock skew.
 */
import { createLocalJWKSet, importSPKI, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import type { Consumer } from "../../runtime/types.ts";
import { consumerOfClaims, InvalidTokenError, MAX_TOKEN_LENGTH } from "./claims.ts";
import { discover, remoteKeys, type KeyResolver } from "./key-sets.ts";
import type { JwtScheme } from "./options.ts";

const staticKeys = new Map<string, KeyResolver>();

function keysFromText(text: string, algorithms: string[]): KeyResolver {
  const cacheKey = `${algorithms.join(",")} ${text}`;
  let resolver = staticKeys.get(cacheKey);
  if (!resolver) {
    if (text.trimStart().startsWith("-----BEGIN")) {
      const imported = new Map<string, Promise<CryptoKey>>();
      resolver = (header) => {
        // jose has already refused any alg outside `algorithms` before asking for a key.
        const alg = header?.alg ?? "";
        let key = imported.get(alg);
        if (!key) imported.set(alg, (key = importSPKI(text, alg)));
        return key;
      };
    } else {
      resolver = createLocalJWKSet(JSON.parse(text) as JSONWebKeySet);
    }
    staticKeys.set(cacheKey, resolver);
  }
  return resolver!;
}

async function resolverOf(scheme: JwtScheme, waitUntil: (promise: Promise<unknown>) => void) {
  if (scheme.keys) return { keys: keysFromText(scheme.keys, scheme.algorithms), issuer: scheme.issuer };
  if (scheme.jwks) return { keys: remoteKeys(scheme.jwks, scheme.cooldown, waitUntil), issuer: scheme.issuer };
  const found = await discover(scheme.discovery!, scheme.cooldown, waitUntil);
  return { keys: remoteKeys(found.jwks, scheme.cooldown, waitUntil), issuer: scheme.issuer ?? found.issuer };
}

/** Verifies a compact JWT; throws InvalidTokenError, or KeysUnavailableError when no keys can be had. */
export async function consumerOfToken(scheme: JwtScheme, token: string, waitUntil: (promise: Promise<unknown>) => void): Promise<Consumer> {
  if (token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError("token too long");
  const { keys, issuer } = await resolverOf(scheme, waitUntil);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      algorithms: scheme.algorithms,
      issuer,
      audience: scheme.audience,
      clockTolerance: scheme.clockSkew,
      requiredClaims: ["exp"],
      typ: scheme.typ,
    }));
  } catch (error) {
    if ((error as Error).name === "KeysUnavailableError") throw error;
    throw new InvalidTokenError((error as { code?: string }).code ?? "invalid token");
  }
  return consumerOfClaims(payload, scheme);
}
