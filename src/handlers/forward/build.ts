import { BuildStepError, describeBuiltin, type Use } from "../../builtin-descriptor.ts";
import { urlTemplateProblem } from "../../url-template.ts";
import { pathTemplate, prepareGroup } from "./build-group.ts";
import { options, type ForwardOptions } from "./options.ts";
import { upstreamsSchema, type PreparedGroup } from "./upstreams.ts";

/**
 * Without a `url` option, the upstream URL is x-portico.upstream followed by
 * the operation's path, its `{name}` templates becoming `${params.name}`.
 * Either must be a URL the gateway can send requests to: one that cannot
 * would fail every request, so it fails the build where it is written.
 */
function upstreamUrl(operation: { path: string; upstream?: string }, use: Use<ForwardOptions>): string {
  const { url } = use.options;
  if (url) {
    refuseUnusable(url, `The url "${url}" of "forward"`, `${use.where}/options/url`);
    return url;
  }
  if (!operation.upstream) {
    throw new Error(
      'forward has no url: give it options: { url: "https://…" } or { upstream: <a group of x-portico.upstreams> }, or set x-portico.upstream at the document root.',
    );
  }
  refuseUnusable(operation.upstream, `x-portico.upstream "${operation.upstream}", where "forward" sends requests,`, "/x-portico/upstream");
  return operation.upstream.replace(/\/+$/, "") + pathTemplate(operation.path);
}

function refuseUnusable(url: string, subject: string, pointer: string): void {
  const problem = urlTemplateProblem(url);
  if (problem) throw new BuildStepError(`${subject} ${problem.reason}.`, pointer, `${problem.hint} See docs/policies.md#forward.`);
}

/** A WebSocket handshake is a GET: on another method `websocket: true` could never open one. */
function refuseNonGetHandshake(use: Use<ForwardOptions>, method: string): void {
  if (method.toUpperCase() === "GET") return;
  throw new BuildStepError(
    `websocket: true is for GET operations (a WebSocket handshake is a GET), and this one is ${method.toUpperCase()}.`,
    `${use.where}/options/websocket`,
    "Move the handshake to a GET operation, or take websocket out. See docs/policies.md#forward.",
  );
}

export default describeBuiltin<ForwardOptions & { group?: PreparedGroup }>({
  name: "forward",
  kind: "handler",
  summary: "Proxies the request to an upstream URL, or to a group of them with balancing, retries and a circuit breaker, and streams the answer back.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["handle"],
  perOperation: true,
  prepare(use, { operation }) {
    if (use.options.websocket) refuseNonGetHandshake(use, operation!.method);
    return use.options.upstream !== undefined ? prepareGroup(use, operation!) : { options: { url: upstreamUrl(operation!, use) } };
  },
  upgrade: (use) => (use.options.websocket ? "websocket" : undefined),
  durableObjects: [
    {
      className: "CircuitBreakers",
      module: new URL("./circuit-breakers.ts", import.meta.url),
      // Only an operation sending to a group whose breaker is shared needs the binding.
      binding: (options) => (options.group?.circuitBreaker?.shared ? options.group.circuitBreaker.binding : undefined),
      consequence: "its circuit breakers will not be shared: each isolate counts on its own",
    },
  ],
  extension: {
    root: {
      upstream: { type: "string", minLength: 1, description: "Default base URL of the forward handler." },
      upstreams: upstreamsSchema,
    },
  },
});
