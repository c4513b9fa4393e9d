/**
 * @module
 * The gateway-wide steps: the document's own x-portico inbound and outbound
 * lists resolved, with the usage policy's step last on the way out when the
 * document asks for usage.
 */
import { joinPointer } from "../errors.ts";
import type { ResolvedUse } from "./policies.ts";
import type { PolicyResolver } from "./policy-resolver.ts";
import { usageUse } from "./telemetry.ts";

/** The steps every operation runs, in the order the document lists them; references that do not resolve are reported by the resolver. */
export async function resolveGatewayUses(
  resolver: PolicyResolver,
  extension: Record<string, any>,
): Promise<{ inbound: ResolvedUse[]; outbound: ResolvedUse[] }> {
  const gatewayInbound: ResolvedUse[] = [];
  const gatewayOutbound: ResolvedUse[] = [];
  for (const [i, ref] of (extension.inbound ?? []).entries()) {
    const use = await resolver.resolve(ref, joinPointer("/x-portico/inbound", i), "inbound", true);
    if (use) gatewayInbound.push(use);
  }
  for (const [i, ref] of (extension.outbound ?? []).entries()) {
    const use = await resolver.resolve(ref, joinPointer("/x-portico/outbound", i), "outbound", true);
    if (use) gatewayOutbound.push(use);
  }
  const usage = usageUse(extension);
  if (usage) {
    const use = await resolver.resolve(usage.ref, usage.pointer, "outbound", true);
    if (use) gatewayOutbound.push(use);
  }
  return { inbound: gatewayInbound, outbound: gatewayOutbound };
}
