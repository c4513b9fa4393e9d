/**
 * @module
 * A validator's failure added to its list: the generated code calls this in
 * place of Ajv's object literal and push at every place a value can fail, and
 * shares one description for the failures that read alike (most of them:
 * "must be string" at a thousand places). The error is the one Ajv makes.
 */

/** What a failure says, apart from where: Ajv's keyword, params and message. */
export interface FailureDescription {
  keyword: string;
  params: Record<string, unknown>;
  message: string;
}

export function failure<T>(list: T[] | null, instancePath: string, { keyword, params, message }: FailureDescription): T[] {
  const error = { instancePath, keyword, params, message } as T;
  if (list === null) return [error];
  list.push(error);
  return list;
}
