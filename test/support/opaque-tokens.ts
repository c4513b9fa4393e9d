/**
 * Opaque access tokens for the introspection tests, inside workerd: issued,
 * revoked and counted by the endpoint test/support/introspection-server.ts
 * serves on the auth test server.
 */
import type { Behaviour } from "./introspection-server.ts";
import { authUrl } from "./tokens.ts";

/** A token the endpoint reports active with these claims (until `exp`, when given, or revocation). */
export async function opaqueToken(claims: Record<string, unknown>, behaviour: Behaviour = "normal"): Promise<string> {
  const response = await fetch(`${authUrl}/control/introspection/issue`, { method: "POST", body: JSON.stringify({ claims, behaviour }) });
  return ((await response.json()) as { token: string }).token;
}

export async function revokeOpaque(token: string): Promise<void> {
  await (await fetch(`${authUrl}/control/introspection/revoke/${token}`, { method: "POST" })).text();
}

/** How many introspection requests the token caused, and what the last one looked like. */
export async function introspections(
  token: string,
): Promise<{ requests: number; last?: { contentType?: string; accept?: string; hint: string | null; params: string[] } }> {
  return (await (await fetch(`${authUrl}/control/introspection/requests/${token}`)).json()) as { requests: number };
}
