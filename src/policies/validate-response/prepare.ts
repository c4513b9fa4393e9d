/**
 * @module
 * Build-time half of `validate-response`: a validator for every JSON
 * response schema the operation declares, keyed by status and media type.
 */
import type { ResponseRules } from "./options.ts";

export interface PrepareResponsesInput {
  operation: Record<string, any>;
  /** JSON pointer of the operation in the bundled document. */
  pointer: string;
  deref: <T>(value: T) => T;
  /** Compiles the schema at a pointer of the document; returns its export name. */
  validatorAt: (pointer: string) => string | undefined;
  /** Where a $ref'd object really stands. */
  follow: (value: unknown, pointer: string) => { node: any; pointer: string };
}

const escape = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");

export function prepareResponses(input: PrepareResponsesInput): ResponseRules {
  const responses: ResponseRules["responses"] = {};
  for (const [status, raw] of Object.entries<any>(input.operation.responses ?? {})) {
    const { node, pointer } = input.follow(raw, `${input.pointer}/responses/${escape(status)}`);
    const media: Record<string, string | null> = {};
    for (const [range, object] of Object.entries<any>(node?.content ?? {})) {
      const type = range.split(";")[0].trim().toLowerCase();
      const hasSchema = input.deref(object)?.schema !== undefined;
      media[type] = hasSchema && /[/+]json\b/.test(type) ? (input.validatorAt(`${pointer}/content/${escape(range)}/schema`) ?? null) : null;
    }
    responses[status.toUpperCase()] = media;
  }
  return { responses };
}
