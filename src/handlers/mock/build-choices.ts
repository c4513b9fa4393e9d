/**
 * @module
 * The choices of a schema (oneOf, anyOf, a discriminator), made one at a
 * time: which branch is tried first and after each refusal, the schema with
 * a branch merged in, and the discriminator's value the chosen branch takes.
 */
import { type Choice, type Flat, flatten } from "./build-flatten.ts";
import { type GenerateInput, isObject, type State } from "./build-state.ts";

/**
 * The order in which a choice's branches are tried: the discriminator's first mapping, else the
 * first that is not null (null first where the value should stay small), moved on by each refusal.
 */
export function branchOrder(choice: Choice, state: State, path: string, minimal: boolean, deref: GenerateInput["deref"]): number[] {
  const { branches, discriminator } = choice;
  const isNull = (branch: unknown) => {
    const type = flatten(branch, deref).type;
    return Array.isArray(type) && type.length === 1 && type[0] === "null";
  };
  let first = minimal ? branches.findIndex(isNull) : branches.findIndex((branch) => !isNull(branch));
  if (first < 0) first = 0;
  const mapping = Object.values(discriminator?.mapping ?? {});
  if (mapping.length > 0 && !minimal) {
    const mapped = branches.findIndex((branch) => refOf(branch) === mapping[0]);
    if (mapped >= 0) first = mapped;
  }
  const start = first + (state.refused.get(path) ?? 0);
  return branches.map((_, i) => (start + i) % branches.length);
}

const refOf = (branch: unknown) => (isObject(branch) && typeof branch.$ref === "string" ? branch.$ref : undefined);

/** Schemas with a choice made, by schema and branch: the same property meets the same choice many times. */
const merges = new WeakMap<Flat, Map<number, Flat>>();

/** The flat schema with its first choice made: the branch's constraints merged in, its own choices queued. */
export function withBranch(flat: Flat, index: number, deref: GenerateInput["deref"]): Flat {
  let byIndex = merges.get(flat);
  if (!byIndex) merges.set(flat, (byIndex = new Map()));
  let merged = byIndex.get(index);
  if (!merged) {
    const [choice, ...rest] = flat.choices;
    const branch = flatten(choice.branches[index], deref);
    const { choices: _choices, refs, ...own } = flat;
    merged = { ...flatten({ allOf: [own, branch] }, deref), choices: [...rest, ...branch.choices], refs: [...refs, ...branch.refs] };
    byIndex.set(index, merged);
  }
  return merged;
}

/** The discriminator's value for a branch: its mapping key, else the name of the schema it references. */
export function tagOf(choice: Choice, branch: unknown): { property: string; value: string } | undefined {
  const property = choice.discriminator?.propertyName;
  if (typeof property !== "string") return undefined;
  const ref = refOf(branch);
  const value = Object.entries(choice.discriminator?.mapping ?? {}).find(([, target]) => target === ref)?.[0] ?? ref?.split("/").pop();
  return value === undefined ? undefined : { property, value };
}
