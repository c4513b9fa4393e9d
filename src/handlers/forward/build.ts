import { BuildStepError, describeBuiltin, type Use } from "../../builtin-descriptor.ts";
import { urlTemplateProblem } from "../../url-template.ts";
import { options, type ForwardOptions } from "./options.ts";

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
    throw new Error('forward has no url: give it options: { url: "https://…" }, or set x-portico.upstream at the document root.');
  }
  refuseUnusable(operation.upstream, `x-portico.upstream "${operation.upstream}", where "forward" sends requests,`, "/x-portico/upstream");
  // A fragment (`/folders/{id}#add_shared_link`) names the path item, not a part of the URL.
  const path = operation.path.split("#")[0].replace(/\{([^}]+)\}/g, (_, name: string) => "${params." + name + "}");
  return operation.upstream.replace(/\/+$/, "") + path;
}

function refuseUnusable(url: string, subject: string, pointer: string): void {
  const problem = urlTemplateProblem(url);
  if (problem) throw new BuildStepError(`${subject} ${problem.reason}.`, pointer, `${problem.hint} See docs/policies.md#forward.`);
}

export default describeBuiltin<ForwardOptions>({
  name: "forward",
  kind: "handler",
  summary: "Proxies the request to an upstream URL and streams the answer back.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["handle"],
  perOperation: true,
  prepare: (use, { operation }) => ({ options: { url: upstreamUrl(operation!, use) } }),
  extension: { root: { upstream: { type: "string", minLength: 1, description: "Default base URL of the forward handler." } } },
});
