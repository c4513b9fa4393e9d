/**
 * @module
 * The throwaway project the build-time contract (builtin.case.ts) compiles:
 * a document whose named instances of the built-in each stand on an
 * operation of their own, listed wherever its hooks let them.
 */
import { spec } from "../../test/support/temp-project.ts";
import { placesOf, type BuiltinDescriptor } from "../builtin-descriptor.ts";

/** The name the contract gives the instance under test, in x-portico.policies. */
export const SUBJECT = "subject";

export const optionsPointer = (instance: string) => `/x-portico/policies/${instance}/options`;

/** One operation; the named instance, when given, listed wherever the built-in's hooks let it stand. */
function operation(descriptor: BuiltinDescriptor, index: number, instance?: string): string {
  const places = instance ? placesOf(descriptor.hooks, descriptor.wraps) : [];
  const lists = [
    `handler: ${places.includes("handle") ? instance : "mock"}`,
    ...(places.includes("inbound") ? [`inbound: [${instance}]`] : []),
    ...(places.includes("outbound") ? [`outbound: [${instance}]`] : []),
  ];
  return `  /case-${index}:
    get:
      operationId: case${index}
      x-portico: { ${lists.join(", ")} }
      responses: { "200": { description: ok, content: { application/json: { example: { ok: true } } } } }`;
}

/** A project whose named instances have these options (JSON is YAML too), each on an operation of its own. */
export function project(descriptor: BuiltinDescriptor, instances: Array<[string, Record<string, unknown>]>): string {
  const named = instances.map(([instance, options]) => `    ${instance}: { use: ${descriptor.name}, options: ${JSON.stringify(options)} }`);
  const extension = named.length > 0 ? `x-portico:\n  policies:\n${named.join("\n")}` : "";
  const operations = instances.length > 0 ? instances.map(([instance], i) => operation(descriptor, i, instance)) : [operation(descriptor, 0)];
  return spec(operations.join("\n"), extension);
}
