/**
 * @module
 * Build-time half of `forward`: without a `url` option, the upstream URL is
 * x-portico.upstream followed by the operation's path, its `{name}` templates
 * becoming `${params.name}`.
 */

export function prepareForward(
  operation: { path: string; upstream?: string },
  options: { url?: string },
): { url: string } {
  if (options.url) return { url: options.url };
  if (!operation.upstream) {
    throw new Error(
      'forward has no url: give it options: { url: "https://…" }, or set x-portico.upstream at the document root.',
    );
  }
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => "${params." + name + "}");
  return { url: operation.upstream.replace(/\/+$/, "") + path };
}
