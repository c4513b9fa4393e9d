/**
 * @module
 * A number or integer for a schema: its format's sample moved into its
 * bounds (exclusive ones included) and onto its multipleOf.
 */
import type { Flat } from "./build-flatten.ts";
import { numberFormatSample } from "../../runtime/formats/samples.ts";

export function generateNumber(flat: Flat, integer: boolean, variant: number): number {
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
