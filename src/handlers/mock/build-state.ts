/**
 * @module
 * What generating a mock value takes and carries: the input, the faults the
 * validator reports, and what each refusal taught (places left out, put in,
 * refused or no longer given their schema's example) from one round to the next.
 */
import type { Json } from "./build-flatten.ts";

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

export const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);
export const escape = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");

export interface State {
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

export const NOTHING = Symbol("nothing");
export type Out = unknown;
