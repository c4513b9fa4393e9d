/**
 * @module
 * What a scheme's credential proves. Every way of sending an API key (its own
 * header, query or cookie; `Authorization: Bearer`; HTTP basic) ends in
 * consumerOfKey, so expiry, rotation grace, revocation and the isolate cache
 * are the same wherever the key travels.
 */
import { measured } from "../../runtime/telemetry/request-telemetry.ts";
import type { Consumer, GatewayContext } from "../../runtime/types.ts";
import { consumerOfKey } from "./consumer-store.ts";
import { consumerOfIntrospectedToken } from "./introspection.ts";
import { consumerOfToken } from "./jwt.ts";
import { isWellFormedApiKey } from "./key-format.ts";
import type { SchemePlan } from "./options.ts";

/**
 * HTTP basic is `<consumer id>:<API key>`, or, as Stripe has it, `<API key>:`
 * (the key as user name, no password). The key format tells them apart: the
 * first form always has a key as its password, so a well-formed key as user
 * name with an empty password can only be the second.
 */
async function consumerOfBasic(env: Record<string, unknown>, binding: string, pair: string): Promise<Consumer | undefined> {
  const at = pair.indexOf(":");
  const user = pair.slice(0, at);
  const password = pair.slice(at + 1);
  if (password === "" && isWellFormedApiKey(user)) return consumerOfKey(env, binding, user);
  const consumer = await consumerOfKey(env, binding, password);
  return consumer && consumer.id === user ? consumer : undefined;
}

/**
 * The consumer the credential proves, or undefined. Throws InvalidTokenError
 * for a refused token, and the store's or endpoint's "unavailable" errors when
 * nothing can be known.
 */
export function consumerOfCredential(
  scheme: Exclude<SchemePlan, { type: "unusable" }>,
  credential: string,
  ctx: GatewayContext,
): Promise<Consumer | undefined> {
  switch (scheme.type) {
    case "jwt":
      return consumerOfToken(scheme, credential, ctx.waitUntil);
    case "introspection":
      return measured(ctx, "token introspection", "client", () => consumerOfIntrospectedToken(scheme, credential, ctx.waitUntil));
    case "apiKey":
    case "bearerKey":
      return measured(ctx, "consumer lookup", "client", () => consumerOfKey(ctx.env, scheme.binding, credential));
    case "basic":
      return measured(ctx, "consumer lookup", "client", () => consumerOfBasic(ctx.env, scheme.binding, credential));
  }
}
