/**
 * @module
 * A finding told once: the same message at the same place, met again (a path
 * item's or a shared component's, once per operation), is not added twice.
 */
import type { BuildError } from "../errors.ts";

/** Adds a finding unless the same one, at the same place, is there already (a path item's or a shared component's, met once per operation). */
export function reportOnce(list: BuildError[], found: BuildError): void {
  const same = (other: BuildError) => other.message === found.message && other.location.pointer === found.location.pointer;
  if (!list.some(same)) list.push(found);
}
