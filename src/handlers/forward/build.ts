import { describeBuiltin } from "../../builtin-descriptor.ts";
import { options, type ForwardOptions } from "./options.ts";

/**
 * Without a `url` option, the upstream URL is x-portico.upstream followed by
 * the operation's path, its `{name}` templates becoming `${params.name}`.
 */
function upstreamUrl(operation: { path: string; upstream?: string }, options: { url?: string }): string {
  if (options.url) return options.url;
  if (!operation.upstream) {
    throw new Error('forward has no url: give it options: { url: "https://…" }, or set x-portico.upstream at the document root.');
  }
  // A fragment (`/folders/{id}#add_shared_link`) names the path item, not a part of the URL.
  const path = operation.path.split("#")[0].replace(/\{([^}]+)\}/g, (_, name: string) => "${params." + name + "}");
  return operation.upstream.replace(/\/+$/, "") + path;
}

export default describeBuiltin<ForwardOptions>({
  name: "forward",
  kind: "handler",
  summary: "Proxies the request to an upstream URL and streams the answer back.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["handle"],
  perOperation: true,
  prepare: (use, { operation }) => ({ options: { url: upstreamUrl(operation!, use.options) } }),
  extension: { root: { upstream: { type: "string", minLength: 1, description: "Default base URL of the forward handler." } } },
});
