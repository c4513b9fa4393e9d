/**
 * @module
 * RFC 6570's URI templates (level 4) as a regular expression, for the
 * uri-template format: ajv-formats' refuses dotted variable names (`{a.b}`),
 * which RFC 6570 allows, and takes any non-ASCII character as a literal.
 */
import { PCT_ENCODED, PRIVATE_USE, UCS } from "./uri.ts";

const LITERAL = `(?:[\\x21\\x23\\x24\\x26-\\x3B\\x3D\\x3F-\\x5B\\x5D\\x5F\\x61-\\x7A\\x7E${UCS}${PRIVATE_USE}]|${PCT_ENCODED})`;
const VARSPEC = `(?:[A-Za-z0-9_]|${PCT_ENCODED})(?:\\.?(?:[A-Za-z0-9_]|${PCT_ENCODED}))*(?::[1-9]\\d{0,3}|\\*)?`;

export const uriTemplate = new RegExp(`^(?:${LITERAL}|\\{[+#./;?&=,!@|]?${VARSPEC}(?:,${VARSPEC})*\\})*$`, "u");
