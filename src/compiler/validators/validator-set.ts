/**
 * @module
 * What a validator set (validators.ts) offers the build: validators by
 * pointer or schema, build-time checks and their violations, the generated
 * module, and the error a schema that cannot be compiled raises.
 */

/** One way a value breaks a schema, as Ajv reports it. */
export interface SchemaViolation {
  /** JSON pointer of the offending part of the value ("" for the value itself). */
  instancePath: string;
  keyword: string;
  message: string;
  params: Record<string, any>;
}

export interface ValidatorSet {
  /** A validator for the schema found at this JSON pointer of the document (e.g. "/paths/~1exhibits/post/requestBody/content/application~1json/schema"). Returns the export name. Identical schemas (same JSON text, as $refs inside resolve against the same document) get the same export: compiled once. */
  forPointer(pointer: string): string;
  /** A validator for a standalone schema (its own root; $id / $schema honoured), for test suites and policies' own schemas. Deduplicated the same way. */
  forSchema(schema: unknown): string;
  /**
   * Checks values at build time (examples, generated mock answers) against the schema at this
   * pointer, with the validator the gateway would use. Compiled once per distinct schema, as
   * forPointer compiles, and not exported: the generated module does not grow. Throws a
   * SchemaCompileError as forPointer does.
   */
  check(pointer: string): (value: unknown) => SchemaViolation[];
  /** Registers a schema that others $ref by URI (e.g. the test suite's remotes at http://localhost:1234/...). */
  addRemote(uri: string, schema: unknown): void;
  /** How many distinct validators were requested (after dedupe). */
  readonly size: number;
  /** What compiling met without failing (an unknown format, for one), each once. */
  readonly warnings: readonly string[];
  /**
   * The ESM module source: `export const v0 = ...; export const v1 = ...;` (names as returned).
   * It imports the run-time formats and helpers from `runtimeImport`: the
   * specifier of src/runtime/formats/index.ts from where the module is written
   * (`"../src/runtime/formats/index.ts"` for .portico/validators.ts).
   */
  code(options: { runtimeImport: string }): string;
}

/** A schema that could not be compiled, and where it is. */
export class SchemaCompileError extends Error {
  override name = "SchemaCompileError";
  /** The JSON pointer of the schema in the document, when it came from there. */
  readonly pointer?: string;

  constructor(message: string, pointer?: string) {
    super(message);
    this.pointer = pointer;
  }
}
