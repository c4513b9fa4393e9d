import { describeBuiltin } from "../../builtin-descriptor.ts";
import { instanceIdentity } from "../rate-limit/build.ts";
import { options, type QuotaOptions, type QuotaPrepared } from "./options.ts";

export default describeBuiltin<QuotaOptions, QuotaPrepared>({
  name: "quota",
  kind: "policy",
  summary: "Counts each consumer's requests per day, week or month in a Durable Object and refuses with 429 once the quota is used.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["inbound"],
  prepare: (use) => ({ prepared: instanceIdentity(use, "quota") }),
  check(use) {
    // The gateway's inbound runs before authentication: no consumer is known there yet.
    if (!use.gatewayWide) return [];
    return [
      {
        severity: "error",
        message: "A quota in the gateway-wide inbound would count nothing: it runs before authentication, so no request has a consumer yet.",
        hint: "List the quota in the inbound of each operation it applies to (a named policy under x-portico.policies keeps that short).",
      },
    ];
  },
  durableObjects: [{ className: "QuotaCounter", module: new URL("./quota-counter.ts", import.meta.url), binding: (options) => options.binding }],
  portal: (use, prepared) => ({
    kind: "quota",
    name: prepared.name,
    limit: use.options.limit,
    period: use.options.period,
    by: "consumer",
    tiers: use.options.tiers,
  }),
  admin: true,
});
