/**
 * @module
 * How a warning about an example that breaks its schema reads: the
 * violation, where in the example it is, and what to write instead.
 */
import { formatSample } from "../../runtime/formats/samples.ts";
import type { SchemaViolation } from "../validators/validator-set.ts";

const where = (violation: SchemaViolation) => (violation.instancePath ? `"${violation.instancePath}"` : "the value");
/** " at "/sent"" inside the example, nothing for the example itself. */
const at = (violation: SchemaViolation) => (violation.instancePath ? ` at "${violation.instancePath}"` : "");

const list = (values: unknown[]) =>
  values
    .slice(0, 6)
    .map((value) => JSON.stringify(value))
    .join(", ") + (values.length > 6 ? ", …" : "");

/** `"/sent" must match format "date-time"`: the path in the example, then Ajv's words. */
export function describeViolation(violation: SchemaViolation): string {
  const { keyword, params } = violation;
  if (keyword === "enum" && Array.isArray(params.allowedValues)) return `${where(violation)} must be one of ${list(params.allowedValues)}`;
  if (keyword === "additionalProperties") return `${where(violation)} has "${params.additionalProperty}", which the schema does not allow`;
  return `${where(violation)} ${violation.message}`;
}

/** What to change. The example is the usual culprit; the schema may be, when the example shows what the API really does. */
export function fixOf(violation: SchemaViolation): string {
  const { keyword, params } = violation;
  const orSchema = "or correct the schema if the example shows what the API really sends";
  switch (keyword) {
    case "format": {
      const sample = formatSample(String(params.format));
      return `Write a ${params.format} value${at(violation)}${sample ? `, such as ${JSON.stringify(sample)}` : ""}, ${orSchema}.`;
    }
    case "enum":
      return `Use one of the allowed values${at(violation)}, ${orSchema}.`;
    case "const":
      return `Write ${JSON.stringify(params.allowedValue)}${at(violation)}, ${orSchema}.`;
    case "type":
      return `Write a value of type ${params.type}${at(violation)}, ${orSchema}.`;
    case "required":
      return `Add "${params.missingProperty}" to the example, or drop it from the schema's required list if the API may leave it out.`;
    case "additionalProperties":
      return `Remove "${params.additionalProperty}" from the example, or declare it under the schema's properties.`;
    case "pattern":
      return `Write a value matching ${params.pattern}${at(violation)}, ${orSchema}.`;
    default:
      return `Change the example so that ${where(violation)} meets "${keyword}" (${violation.message}), ${orSchema}.`;
  }
}
