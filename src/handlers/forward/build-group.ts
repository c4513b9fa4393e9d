/**
 * @module
 * forward's build step for `upstream: <group>`: finds the group in
 * x-portico.upstreams, checks what its schema cannot (weights, the canary's
 * index, url or service), and makes each target's URL for the operation. A
 * mistake in a group is reported once, at the group, however many operations
 * send to it.
 */
import { BuildStepError, type BuildOperation, type Prepared, type Use } from "../../builtin-descriptor.ts";
import { didYouMean } from "../../did-you-mean.ts";
import { urlTemplateProblem } from "../../url-template.ts";
import type { ForwardOptions } from "./options.ts";
import { DEFAULT_RETRY_ON, IDEMPOTENT_METHODS, type PreparedGroup, type UpstreamGroup } from "./upstreams.ts";

const DOCS = "See docs/policies.md#upstream-groups.";
/** What a service binding may be called: a JavaScript identifier, as env[NAME] is read. */
const BINDING_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const escape = (token: string | number) => String(token).replaceAll("~", "~0").replaceAll("/", "~1");
const at = (...tokens: Array<string | number>) => "/x-portico/upstreams" + tokens.map((token) => `/${escape(token)}`).join("");

/** The operation's path as a template: its `{name}` segments become `${params.name}` (a fragment names the path item only). */
export function pathTemplate(path: string): string {
  return path.split("#")[0].replace(/\{([^}]+)\}/g, (_, name: string) => "${params." + name + "}");
}

/** Throws, located in the group, what would make it send nowhere or somewhere unintended. */
function checkGroup(name: string, group: UpstreamGroup): void {
  for (const [i, target] of group.targets.entries()) {
    const has = [target.url !== undefined && "url", target.service !== undefined && "service"].filter(Boolean);
    if (has.length !== 1) {
      throw new BuildStepError(
        `Target ${i} of upstream group "${name}" has ${has.length === 0 ? "neither a url nor a service" : "both a url and a service"}.`,
        at(name, "targets", i),
        `Give each target one of url: "https://…" (or "\${env.NAME}") and service: BINDING_NAME. ${DOCS}`,
      );
    }
    if (target.service !== undefined && !BINDING_NAME.test(target.service)) {
      throw new BuildStepError(
        `Target ${i} of upstream group "${name}" names the service binding "${target.service}", which is not a binding name.`,
        at(name, "targets", i, "service"),
        `A binding name is letters, digits and _, not beginning with a digit, as in wrangler.toml's [[services]] binding = "ORDERS". ${DOCS}`,
      );
    }
    const problem = target.url === undefined ? undefined : urlTemplateProblem(target.url);
    if (problem) {
      throw new BuildStepError(
        `The url "${target.url}" of upstream group "${name}" ${problem.reason}.`,
        at(name, "targets", i, "url"),
        `${problem.hint} ${DOCS}`,
      );
    }
  }
  if (group.targets.every((target) => (target.weight ?? 1) === 0)) {
    throw new BuildStepError(
      `The weights of upstream group "${name}" add up to 0, so no request would be sent to any target.`,
      at(name, "targets"),
      `Give at least one target a weight above 0 (the default is 1). ${DOCS}`,
    );
  }
  const canary = group.canary;
  if (canary && canary.target >= group.targets.length) {
    throw new BuildStepError(
      `The canary of upstream group "${name}" is target ${canary.target}, but the group has ${group.targets.length} target${group.targets.length === 1 ? "" : "s"} (counted from 0).`,
      at(name, "canary", "target"),
      `Use an index from 0 to ${group.targets.length - 1}. ${DOCS}`,
    );
  }
  if (canary && canary.header === undefined && canary.cookie === undefined) {
    throw new BuildStepError(
      `The canary of upstream group "${name}" has neither a header nor a cookie, so no request could ask for it.`,
      at(name, "canary"),
      `Add header: X-Canary or cookie: canary (or both). ${DOCS}`,
    );
  }
}

/** Whether the operation (or its path) declares an Idempotency-Key header parameter. */
function declaresIdempotencyKey(operation: BuildOperation): boolean {
  const pathItem = operation.deref(operation.document.paths?.[operation.path]) ?? {};
  return [...(pathItem.parameters ?? []), ...(operation.operation.parameters ?? [])]
    .map((raw: unknown) => operation.deref(raw))
    .some((parameter) => parameter?.in === "header" && String(parameter.name).toLowerCase() === "idempotency-key");
}

/** forward's options for `upstream: <group>`: the group as the run-time module takes it, and a warning when its retries never apply. */
export function prepareGroup(use: Use<ForwardOptions>, operation: BuildOperation): Prepared<ForwardOptions & { group?: PreparedGroup }, never> {
  const name = use.options.upstream!;
  if (use.options.url !== undefined) {
    throw new BuildStepError(
      `forward has both a url ("${use.options.url}") and an upstream group ("${name}"); it sends to one or the other.`,
      `${use.where}/options/url`,
      `Keep upstream to send to the group's targets (each followed by the operation's path), or url for one address. ${DOCS}`,
    );
  }
  const groups: Record<string, UpstreamGroup> = operation.document["x-portico"]?.upstreams ?? {};
  const group = Object.hasOwn(groups, name) ? groups[name] : undefined;
  if (!group) {
    const known = Object.keys(groups);
    throw new BuildStepError(
      `forward sends to the upstream group "${name}", which x-portico.upstreams does not define.`,
      `${use.where}/options/upstream`,
      `${didYouMean(name, known)}${known.length > 0 ? `The groups are: ${known.join(", ")}.` : "Define it under x-portico.upstreams at the document root."} ${DOCS}`,
    );
  }
  checkGroup(name, group);
  const path = pathTemplate(operation.path);
  const retryOn = [...(group.retries?.on ?? DEFAULT_RETRY_ON)];
  // The schema's defaults, filled in already by the document's check; written again for a group that skipped it.
  const backoff: Partial<{ base: number; max: number }> = group.retries?.backoff ?? {};
  const breaker: Partial<{ failures: number; window: number; cooldown: number; shared: boolean; binding: string }> = group.circuitBreaker ?? {};
  const shared = breaker.shared ? { shared: true as const, binding: breaker.binding ?? "CIRCUIT_BREAKER" } : {};
  const prepared: PreparedGroup = {
    name,
    targets: group.targets.map((target) => {
      const weight = target.weight ?? 1;
      return target.url !== undefined ? { url: target.url.replace(/\/+$/, ""), path, weight } : { service: target.service!, path, weight };
    }),
    ...(group.canary ? { canary: group.canary } : {}),
    ...(group.sticky ? { sticky: group.sticky } : {}),
    ...(group.retries && group.retries.attempts > 0
      ? { retries: { attempts: group.retries.attempts, on: retryOn, backoff: { base: backoff.base ?? 50, max: backoff.max ?? 1000 } } }
      : {}),
    ...(group.circuitBreaker
      ? { circuitBreaker: { failures: breaker.failures ?? 5, window: breaker.window ?? 30, cooldown: breaker.cooldown ?? 15, on: retryOn, ...shared } }
      : {}),
    ...(group.maxResponseBytes !== undefined ? { maxResponseBytes: group.maxResponseBytes } : {}),
  };
  const method = operation.method.toUpperCase();
  const notes =
    prepared.retries && !IDEMPOTENT_METHODS.has(method) && !declaresIdempotencyKey(operation)
      ? [
          {
            pointer: `${use.where}/options/upstream`,
            message: `${method} ${operation.path} is sent to upstream group "${name}" once, never retried: its retries apply to idempotent methods, or to requests with an Idempotency-Key header, which this operation does not declare.`,
            hint: `Declare an Idempotency-Key header parameter on the operation if the upstream honours one; otherwise no action is needed. ${DOCS}`,
          },
        ]
      : [];
  return { options: { group: prepared }, notes };
}
