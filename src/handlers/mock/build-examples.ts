/**
 * @module
 * Build-time half of `mock`: reads the operation's responses and turns each into
 * ready answers, from `examples`/`example` or, failing those, a value generated
 * from the schema (openapi-sampler, which follows $refs and stops at cycles).
 * Doing this at build time keeps schema walking out of the Worker.
 */
import { sample } from "openapi-sampler";
import { isJsonMediaType, type MockResponse } from "./options.ts";

type Json = Record<string, any>;

export interface PrepareInput {
  operation: Json;
  document: Json;
  /** Follows a `$ref` within the bundled document. */
  deref: <T>(value: T) => T;
}

/** "2XX" → 200, "default" → 500: the status a mock uses for a range or the default. */
function statusOf(key: string, operationHasSuccess: boolean): number {
  if (/^[1-5]\d\d$/.test(key)) return Number(key);
  if (/^[1-5]XX$/i.test(key)) return Number(key[0]) * 100;
  return operationHasSuccess ? 500 : 200;
}

function pickMediaType(content: Json): string | undefined {
  const types = Object.keys(content);
  return types.find(isJsonMediaType) ?? types[0];
}

/**
 * openapi-sampler warns on the console for some allOf shapes even with
 * `quiet`; a mock value that is approximate is fine, a flood of warnings in
 * the build output is not.
 */
function quietly<T>(work: () => T): T {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return work();
  } finally {
    console.warn = warn;
  }
}

function examplesOf(media: Json, input: PrepareInput): MockResponse["examples"] {
  const named = Object.entries(media.examples ?? {}).map(([name, example]) => ({
    name,
    value: input.deref(example as Json).value,
  }));
  if (named.length > 0) return named;
  if (media.example !== undefined) return [{ name: "example", value: media.example }];
  if (media.schema) {
    const schema = input.deref(media.schema);
    return [{ name: "generated", value: quietly(() => sample(schema, { skipReadOnly: true, quiet: true }, input.document)) }];
  }
  return [];
}

export function prepareMock(input: PrepareInput): { responses: MockResponse[] } {
  const declared = Object.entries(input.deref(input.operation.responses ?? {}) as Json);
  const hasSuccess = declared.some(([key]) => key.startsWith("2"));
  const responses = declared.map(([key, raw]): MockResponse => {
    const response = input.deref(raw as Json);
    const content = response.content ?? {};
    const contentType = pickMediaType(content);
    return {
      status: statusOf(key, hasSuccess),
      key,
      contentType,
      examples: contentType ? examplesOf(input.deref(content[contentType]), input) : [],
    };
  });
  return { responses };
}
