/**
 * @module
 * Build-time half of `rate-limit` (and of `quota`): names the instance its
 * counters belong to (where it is defined, so a named policy listed on many
 * operations shares its counters) and finds the key function module.
 */
type Use = { where?: string; name: string; options: Record<string, any> };

/**
 * What a counting policy's Durable Objects are named by (where the instance
 * is defined) and the label its RateLimit headers carry: the `name` option,
 * else the named policy's name, else `unnamed` for a built-in listed by its
 * own name.
 */
export function instanceIdentity(use: Use, builtin: string, unnamed: string) {
  return { instance: use.where ?? use.name, name: use.options.name ?? (use.name === builtin ? unnamed : use.name) };
}

/** `moduleFile` is the compiler's: the absolute path of a project module, or undefined when it does not exist. */
export function prepareRateLimit(use: Use, moduleFile: (relative: string) => string | undefined) {
  const prepared = instanceIdentity(use, "rate-limit", "default");
  if (use.options.by !== "function") return { prepared };
  if (!use.options.function) throw new Error('by: function needs the option "function": the module that returns the key, e.g. ./policies/rate-key.ts.');
  const file = moduleFile(use.options.function);
  if (!file) throw new Error(`The key function module ${use.options.function} does not exist.`);
  return { prepared, modules: { keyFunction: file } };
}
