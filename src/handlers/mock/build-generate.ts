/**
 * @module
 * A value generated from a schema, for a mock answer that no example gives:
 * formats, patterns, enums, bounds, `const`, discriminators, readOnly and
 * writeOnly honoured, and checked with the validator the gateway would use.
 * Where the check finds fault, the places it names are generated otherwise
 * (another branch, another enum value, no schema example, the property left
 * out) and the value is checked again. Deterministic: no clock, no
 * Math.random, the pattern generator seeded by where the value stands.
 */
import { type Choice, type Flat, flatten, type Json } from "./build-flatten.ts";
import { fitsFormat, generateString, hashOf } from "./build-strings.ts";
import { numberFormatSample } from "../../runtime/formats/samples.ts";

/** A violation as the validator reports it: where in the value, and which keyword. */
export interface Fault {
  instancePath: string;
  keyword: string;
  params: Record<string, any>;
}

export interface GenerateInput {
  schema: unknown;
  deref: (value: unknown) => any;
  /** A response leaves writeOnly properties out; a request, readOnly ones. */
  direction: "request" | "response";
  /** The validator of the whole value; no faults means valid. */
  check: (value: unknown) => Fault[];
  /** Seeds the patterns' generator: the same seed, the same answer. */
  seed: string;
  /** Objects deeper than this get their required properties only (default 2); -1 keeps to what is required everywhere. */
  fullDepth?: number;
}

/** Objects deeper than this get their required properties only; arrays, their minItems. */
const FULL_DEPTH = 2;
/** Beyond this a value is cut: null where nothing smaller is allowed. */
const MAX_DEPTH = 24;
const ROUNDS = 12;

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);
const escape = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");

interface State {
  input: GenerateInput;
  /** How often the value at an instance path was refused: each refusal makes it differently. */
  refused: Map<string, number>;
  /** Properties (instance paths) left out, as the validator said they are not allowed. */
  leftOut: Set<string>;
  /** Properties (instance paths) put in, as the validator said they are required. */
  putIn: Set<string>;
  /** Where the schema's own example, default or enum order is not used again: at and above a refusal, as an example may have made it. */
  unexampled: Set<string>;
}

const NOTHING = Symbol("nothing");
type Out = unknown;

/** The value of a flat schema's example, const, enum or default, when it has one to use here. */
function given(flat: Flat, state: State, path: string, variant: number): { value: unknown } | undefined {
  const tries = state.refused.get(path) ?? 0;
  if (flat.const !== undefined) return { value: structuredClone(flat.const) };
  if (Array.isArray(flat.enum) && flat.enum.length > 0) {
    const values = flat.enum.filter((value: unknown) => value !== null);
    const from = values.length > 0 ? values : flat.enum;
    return { value: structuredClone(from[(variant + tries) % from.length]) };
  }
  // The document's own examples read best; one the check refused is not used there again.
  if (state.unexampled.has(path)) return undefined;
  const examples = Array.isArray(flat.examples) && flat.examples.length > 0 ? [flat.examples[0]] : flat.example !== undefined ? [flat.example] : [];
  for (const value of [...examples, ...(flat.default !== undefined ? [flat.default] : [])]) {
    if (variant === 0 && fitsFormat(value, flat.format)) return { value: structuredClone(value) };
  }
  return undefined;
}

function inferType(flat: Flat): string | undefined {
  if (flat.properties || flat.additionalProperties !== undefined || flat.required || flat.patternProperties || flat.minProperties !== undefined)
    return "object";
  if (flat.items !== undefined || flat.prefixItems || flat.minItems !== undefined || flat.maxItems !== undefined) return "array";
  if (flat.pattern !== undefined || flat.minLength !== undefined || flat.maxLength !== undefined || typeof flat.format === "string") return "string";
  if (["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"].some((key) => typeof flat[key] === "number")) return "number";
  return undefined;
}

/**
 * The order in which a choice's branches are tried: the discriminator's first mapping, else the
 * first that is not null (null first where the value should stay small), moved on by each refusal.
 */
function branchOrder(choice: Choice, state: State, path: string, minimal: boolean, deref: GenerateInput["deref"]): number[] {
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
function withBranch(flat: Flat, index: number, deref: GenerateInput["deref"]): Flat {
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
function tagOf(choice: Choice, branch: unknown): { property: string; value: string } | undefined {
  const property = choice.discriminator?.propertyName;
  if (typeof property !== "string") return undefined;
  const ref = refOf(branch);
  const value = Object.entries(choice.discriminator?.mapping ?? {}).find(([, target]) => target === ref)?.[0] ?? ref?.split("/").pop();
  return value === undefined ? undefined : { property, value };
}

function generateNumber(flat: Flat, integer: boolean, variant: number): number {
  const step = typeof flat.multipleOf === "number" && flat.multipleOf > 0 ? flat.multipleOf : 1;
  let low = typeof flat.minimum === "number" ? flat.minimum : -Infinity;
  let high = typeof flat.maximum === "number" ? flat.maximum : Infinity;
  if (typeof flat.exclusiveMinimum === "number")
    low = Math.max(low, integer ? Math.floor(flat.exclusiveMinimum) + 1 : flat.exclusiveMinimum + Math.min(step, 1) / 2);
  if (typeof flat.exclusiveMaximum === "number")
    high = Math.min(high, integer ? Math.ceil(flat.exclusiveMaximum) - 1 : flat.exclusiveMaximum - Math.min(step, 1) / 2);
  if (typeof flat.format === "string" && flat.format === "int32") [low, high] = [Math.max(low, -(2 ** 31)), Math.min(high, 2 ** 31 - 1)];
  let value = (typeof flat.format === "string" ? numberFormatSample(flat.format) : undefined) ?? 0;
  value += variant * step;
  if (value < low) value = low;
  if (value > high) value = high;
  if (step !== 1 || integer) {
    const unit = integer ? Math.max(1, step) : step;
    const fitted = Math.ceil(value / unit - 1e-9) * unit;
    value = fitted <= high ? fitted : Math.floor(value / unit + 1e-9) * unit;
    value = Number(value.toPrecision(12));
  }
  if (integer) value = Number.isFinite(value) ? Math.round(value) : 0;
  return value;
}

function generateObject(flat: Flat, state: State, path: string, depth: number, minimal: boolean, refs: string[]): Json {
  const { direction, deref } = state.input;
  const out: Json = {};
  const required = new Set<string>(Array.isArray(flat.required) ? flat.required : []);
  const hidden = direction === "response" ? "writeOnly" : "readOnly";
  const properties: Json = isObject(flat.properties) ? flat.properties : {};
  for (const [name, schema] of Object.entries(properties)) {
    const at = `${path}/${escape(name)}`;
    if (state.leftOut.has(at)) continue;
    const wanted = required.has(name) || state.putIn.has(at);
    if (!wanted && minimal) continue;
    const property = flatten(schema, deref);
    if (property[hidden] === true && !state.putIn.has(at)) continue;
    const value = generateFlat(property, state, at, depth + 1, 0, refs, !wanted);
    if (value !== NOTHING) out[name] = value;
  }
  const extra = flat.additionalProperties;
  const extraSchema = isObject(extra) ? extra : isObject(flat.patternProperties) ? Object.values(flat.patternProperties)[0] : undefined;
  for (const name of required) {
    const at = `${path}/${escape(name)}`;
    if (name in out || name in properties) continue;
    const value = extraSchema === undefined ? "string" : generateFlat(flatten(extraSchema, deref), state, at, depth + 1, 0, refs);
    if (value !== NOTHING) out[name] = value;
  }
  // A map (no properties of its own) shows one entry, and as many as minProperties asks.
  const wantEntries = Math.max(
    typeof flat.minProperties === "number" ? flat.minProperties : 0,
    Object.keys(properties).length === 0 && extraSchema && !minimal ? 1 : 0,
  );
  for (let i = 1; Object.keys(out).length < wantEntries && i <= wantEntries + 8; i++) {
    const name = `key${i}`;
    const at = `${path}/${escape(name)}`;
    if (name in out || state.leftOut.has(at)) continue;
    const value = extraSchema === undefined ? "string" : generateFlat(flatten(extraSchema, deref), state, at, depth + 1, i - 1, refs);
    if (value !== NOTHING) out[name] = value;
  }
  if (typeof flat.maxProperties === "number") {
    for (const name of Object.keys(out).reverse()) if (Object.keys(out).length > flat.maxProperties && !required.has(name)) delete out[name];
  }
  return out;
}

function generateArray(flat: Flat, state: State, path: string, depth: number, minimal: boolean, refs: string[]): unknown[] {
  const { deref } = state.input;
  const prefix: unknown[] = Array.isArray(flat.prefixItems) ? flat.prefixItems : [];
  const min = typeof flat.minItems === "number" ? flat.minItems : 0;
  const max = typeof flat.maxItems === "number" ? flat.maxItems : Infinity;
  const itemsAllowed = flat.items !== false;
  let count = Math.max(min, minimal ? 0 : 1, minimal ? 0 : prefix.length);
  if (!itemsAllowed) count = Math.min(count, prefix.length);
  count = Math.min(count, max);
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const schema = i < prefix.length ? prefix[i] : flat.items === undefined ? {} : flat.items;
    const item = flatten(schema, deref);
    for (let variant = i; variant < i + 8; variant++) {
      // An item that leads back into a schema being generated is left out where the array may be shorter.
      const value = generateFlat(item, state, `${path}/${i}`, depth + 1, variant, refs, i >= min);
      if (value === NOTHING) break;
      const key = JSON.stringify(value);
      if (flat.uniqueItems && seen.has(key) && variant < i + 7) continue;
      seen.add(key);
      out.push(value);
      break;
    }
  }
  return out;
}

/** `optional`: the value may be left out (NOTHING), as it is where it would lead back into a schema being generated. */
function generateFlat(flat: Flat, state: State, path: string, depth: number, variant: number, outer: string[], optional = false): Out {
  const { deref } = state.input;
  // Choices are made one by one: a chosen branch may bring choices of its own.
  const recursive = flat.refs.some((ref) => outer.includes(ref));
  const minimal = recursive || depth > (state.input.fullDepth ?? FULL_DEPTH);
  let tag: { property: string; value: string } | undefined;
  for (let round = 0; flat.choices.length > 0 && round < 16; round++) {
    const choice = flat.choices[0];
    // The first branch in order that can meet the rest of the schema (an enum beside a oneOf of consts, for one).
    let chosen = 0;
    for (const index of branchOrder(choice, state, path, minimal, deref)) {
      chosen = index;
      if (!withBranch(flat, index, deref).impossible) break;
    }
    tag ??= tagOf(choice, choice.branches[chosen]);
    flat = withBranch(flat, chosen, deref);
  }
  if (optional && flat.refs.some((ref) => outer.includes(ref))) return NOTHING;
  if (depth > MAX_DEPTH) return null;
  const refs = [...outer, ...flat.refs];
  const known = given(flat, state, path, variant);
  if (known) return known.value;
  const types: string[] = Array.isArray(flat.type) ? flat.type : typeof flat.type === "string" ? [flat.type] : [];
  const inferred = inferType(flat);
  const candidates = types.length > 0 ? types : inferred ? [inferred] : [];
  const tries = state.refused.get(path) ?? 0;
  const preferred =
    minimal && candidates.includes("null")
      ? "null"
      : (candidates.filter((t) => t !== "null")[tries % Math.max(1, candidates.filter((t) => t !== "null").length)] ?? candidates[0]);
  switch (preferred) {
    case "null":
      return null;
    case "boolean":
      return variant % 2 === 0;
    case "integer":
      return generateNumber(flat, true, variant);
    case "number":
      return generateNumber(flat, false, variant);
    case "string":
      return generateString(flat, variant, hashOf(`${state.input.seed}${path}`) + tries);
    case "array":
      return generateArray(flat, state, path, depth, minimal, refs);
    case "object":
    case undefined: {
      if (preferred === undefined && !flat.properties && flat.choices.length === 0 && !tag) return {};
      const object = generateObject(flat, state, path, depth, minimal, refs);
      const at = tag ? `${path}/${escape(tag.property)}` : "";
      if (tag && !state.refused.has(at)) object[tag.property] = tag.value;
      return object;
    }
    default:
      return {};
  }
}

/** Generates a value for the schema and checks it, making again what the check refuses; the best found, with its faults. */
export function generateValue(input: GenerateInput): { value: unknown; faults: Fault[] } {
  const state: State = { input, refused: new Map(), leftOut: new Set(), putIn: new Set(), unexampled: new Set() };
  let best: { value: unknown; faults: Fault[] } | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const generated = generateFlat(flatten(input.schema, input.deref), state, "", 0, 0, []);
    const value = generated === NOTHING ? null : generated;
    const faults = input.check(value);
    if (!best || faults.length < best.faults.length) best = { value, faults };
    if (faults.length === 0) break;
    for (const fault of faults) {
      const { instancePath, keyword, params } = fault;
      if (keyword === "additionalProperties" || keyword === "unevaluatedProperties") {
        state.leftOut.add(`${instancePath}/${escape(String(params.additionalProperty ?? params.unevaluatedProperty))}`);
      } else if (keyword === "required" || keyword === "dependentRequired") {
        state.putIn.add(`${instancePath}/${escape(String(params.missingProperty))}`);
      }
      state.refused.set(instancePath, (state.refused.get(instancePath) ?? 0) + 1);
      for (let at = instancePath; ; at = at.slice(0, at.lastIndexOf("/"))) {
        state.unexampled.add(at);
        if (at === "") break;
      }
    }
  }
  return best!;
}
