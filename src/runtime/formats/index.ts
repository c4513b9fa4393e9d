/**
 * @module
 * What the generated validators import beside Ajv's code: the formats that
 * are functions, the RegExp maker for `pattern`, deep equality and string
 * length. The compiler hands the very same functions to Ajv, so a value is
 * judged alike at build time and in the Worker. `failure` is the
 * generated code's alone (see src/compiler/validators/shared-failures.ts). No module here has a side
 * effect, which is what lets the compiler import them.
 */
export { equal } from "./equal.ts";
export { failure } from "./failure.ts";
export { formats } from "./formats.ts";
export { length } from "./length.ts";
export { regExp } from "./reg-exp.ts";
