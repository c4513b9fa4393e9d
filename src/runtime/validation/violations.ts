/**
 * @module
 * Turns a validator's errors into the problem's `errors` list: where (`in`,
 * with `name` for parameters and a JSON `pointer` into the value) and what.
 * Shared by validate-request and validate-response, which run the same
 * generated validators on what each reads.
 */

import { PatternInputTooLong, withPatternInputBound } from "../formats/reg-exp.ts";

/**
 * The longest string a pattern is matched against unless `x-portico.validate.maxStringLength`
 * says otherwise: above the longest value of a `maxLength` beside a pattern in the real
 * documents we test against (10,000), and the most a URL carries on Cloudflare (16 KB).
 */
export const DEFAULT_MAX_STRING_LENGTH = 16 * 1024;

/** One thing wrong with a request or response, as a problem's `errors` list shows it. */
export interface Violation {
  in: "path" | "query" | "header" | "cookie" | "body";
  name?: string;
  pointer?: string;
  message: string;
}

/** The most violations one response lists: enough to fix a request, not a way to amplify one. */
export const MAX_VIOLATIONS = 20;

/** The shape of Ajv's error objects, which the standalone validators set on `.errors`. */
export interface ValidatorError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

export type Validator = ((data: unknown) => boolean) & { errors?: ValidatorError[] | null };

const escape = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");

function describe(error: ValidatorError): { pointer: string; message: string } {
  const { keyword, params } = error;
  if (keyword === "required") return { pointer: `${error.instancePath}/${escape(String(params.missingProperty))}`, message: "is required" };
  if (keyword === "additionalProperties")
    return { pointer: `${error.instancePath}/${escape(String(params.additionalProperty))}`, message: "is not allowed here" };
  if (keyword === "unevaluatedProperties")
    return { pointer: `${error.instancePath}/${escape(String(params.unevaluatedProperty))}`, message: "is not allowed here" };
  if (keyword === "enum") return { pointer: error.instancePath, message: `must be one of ${JSON.stringify(params.allowedValues).slice(0, 200)}` };
  return { pointer: error.instancePath, message: error.message ?? `fails ${keyword}` };
}

/** Where in `value` the string `text` stands, as a value or as a member's name: the first place that holds that very string. */
function placeOf(value: unknown, text: string): { pointer: string; name: boolean } | undefined {
  const pending: Array<[unknown, string]> = [[value, ""]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, pointer] = next;
    if (node === text) return { pointer, name: false };
    if (node === null || typeof node !== "object") continue;
    for (const [key, item] of Object.entries(node)) {
      const at = `${pointer}/${escape(key)}`;
      if (key === text) return { pointer: at, name: true };
      pending.push([item, at]);
    }
  }
  return undefined;
}

/**
 * Runs a validator on a value; returns its violations, located under `where`.
 * A string longer than `maxStringLength` is refused before any pattern is
 * matched against it (src/runtime/formats/reg-exp.ts).
 */
export function validate(
  validator: Validator,
  value: unknown,
  where: Pick<Violation, "in" | "name">,
  maxStringLength = DEFAULT_MAX_STRING_LENGTH,
): Violation[] {
  let valid: boolean;
  const at = (pointer: string | undefined) => (where.in === "body" ? { pointer: pointer ?? "" } : pointer ? { pointer } : {});
  try {
    valid = withPatternInputBound(maxStringLength, () => validator(value));
  } catch (error) {
    if (error instanceof PatternInputTooLong) {
      const place = placeOf(value, error.text);
      const subject = place?.name ? "its name is" : "is";
      return [
        { ...where, ...at(place?.pointer), message: `${subject} ${error.text.length} characters long: a pattern is matched against at most ${error.bound}` },
      ];
    }
    // A value so deep (or a schema so recursive) that checking it overflows: refused, never a 500.
    return [{ ...where, ...at(""), message: "cannot be checked: it is nested too deeply" }];
  }
  if (valid) return [];
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const error of validator.errors ?? []) {
    const { pointer, message } = describe(error);
    const key = `${pointer} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(where.in === "body" ? { in: "body", pointer, message } : { ...where, ...(pointer ? { pointer } : {}), message });
    // One more than is shown, so the caller can say the list was cut.
    if (out.length > MAX_VIOLATIONS) break;
  }
  return out;
}
