/**
 * @module
 * Build-time half of `mock`: reads the operation's responses and turns each
 * into ready answers, from `examples`/`example` or, failing those, a value
 * generated from the schema (build-generate.ts). A JSON answer is checked
 * against the response's schema with the validator the gateway uses: an
 * example that breaks it is not served (a client reading the answer would
 * break the same way), a generated value takes its place, and the build says
 * so in a note on the example. A problem+json answer's `requestId` and
 * `instance` describe one request, not the document's: the build marks the
 * ones an answer has, and the Worker fills them from the request it answers.
 * Doing this at build time keeps schema walking out of the Worker.
 */
import { generateValue } from "./build-generate.ts";
import type { Fault } from "./build-state.ts";
import { isJsonMediaType, isProblemMediaType, type MockExample, type MockResponse, REQUEST_MEMBERS } from "./options.ts";

type Json = Record<string, any>;

/** What the build says about one example or schema: located, with what to do. */
export interface MockNote {
  pointer: string;
  message: string;
  hint: string;
}

export interface PrepareInput {
  operation: Json;
  document: Json;
  /** JSON pointer of the operation. */
  pointer: string;
  /** Follows a `$ref` within the bundled document. */
  deref: <T>(value: T) => T;
  /** Follows `$ref`s to the object and the pointer where it really stands. */
  follow: (value: unknown, pointer: string) => { node: any; pointer: string };
  /** The response-direction check of the schema at a pointer; undefined when it does not compile. */
  responseCheckAt?: (pointer: string) => ((value: unknown) => Fault[]) | undefined;
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

/** Values generated per document, by the place of their schema. */
const generatedIn = new WeakMap<object, Map<string, ReturnType<typeof generateValue>>>();

const escape = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");

const describe = (fault: Fault & { message?: string }) =>
  `${fault.instancePath ? `"${fault.instancePath}"` : "the value"} ${fault.message ?? `fails "${fault.keyword}"`}`;

/** The examples the media type gives, by name and where each stands; an externalValue is never fetched. */
function givenExamples(media: Json, at: string, input: PrepareInput): Array<{ name: string; value: unknown; pointer: string }> {
  const named = Object.entries(media.examples ?? {})
    .map(([name, example]) => ({ name, example: input.deref(example as Json), pointer: `${at}/examples/${escape(name)}` }))
    .filter(({ example }) => example !== null && typeof example === "object" && "value" in example)
    .map(({ name, example, pointer }) => ({ name, value: example.value, pointer }));
  if (named.length > 0) return named;
  return media.example !== undefined ? [{ name: "example", value: media.example, pointer: `${at}/example` }] : [];
}

function answersOf(media: Json, at: string, contentType: string, input: PrepareInput, notes: MockNote[]): MockResponse["examples"] {
  const given = givenExamples(media, at, input);
  if (media.schema === undefined) return given.map(({ name, value }) => ({ name, value }));
  const schemaPointer = `${at}/schema`;
  // Only JSON answers are checked and generated against the schema; another type's example is its text.
  const check = isJsonMediaType(contentType) ? input.responseCheckAt?.(schemaPointer) : undefined;
  const kept = given.filter(({ value, pointer }) => {
    const faults = check?.(value) ?? [];
    if (faults.length === 0) return true;
    notes.push({
      pointer,
      message: `The mock serves a value generated from the schema in place of this example, which breaks it: ${describe(faults[0])}.`,
      hint: "Correct the example (or the schema): the mock then serves it again.",
    });
    return false;
  });
  if (kept.length > 0) return kept.map(({ name, value }) => ({ name, value }));
  // Seeded by the schema's own place: the responses that $ref one schema share one answer, made once.
  const seed = input.follow(media.schema, schemaPointer).pointer;
  let byPlace = generatedIn.get(input.document);
  if (!byPlace) generatedIn.set(input.document, (byPlace = new Map()));
  const key = `${check ? "checked" : "unchecked"} ${seed}`;
  let generated = byPlace.get(key);
  if (!generated) {
    generated = generateValue({ schema: media.schema, deref: input.deref, direction: "response", check: check ?? (() => []), seed });
    byPlace.set(key, generated);
  }
  if (generated.faults.length > 0) {
    notes.push({
      pointer: schemaPointer,
      message: `The mock found no value that meets this schema; it serves one where ${describe(generated.faults[0])}.`,
      hint: "Check that the schema allows some value (oneOf branches that overlap, bounds that exclude each other), or give the response an example that meets it.",
    });
  }
  return [{ name: "generated", value: generated.value }];
}

/** A problem answer with the request's members it has marked, to be filled per request. */
function markRequestMembers(example: MockExample): MockExample {
  const { value } = example;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return example;
  const fromRequest = REQUEST_MEMBERS.filter((member) => Object.hasOwn(value, member));
  return fromRequest.length > 0 ? { ...example, fromRequest } : example;
}

export function prepareMock(input: PrepareInput): { responses: MockResponse[]; notes: MockNote[] } {
  const notes: MockNote[] = [];
  const { node: responses, pointer: responsesAt } = input.follow(input.operation.responses ?? {}, `${input.pointer}/responses`);
  const declared = Object.entries((responses ?? {}) as Json);
  const hasSuccess = declared.some(([key]) => key.startsWith("2"));
  const prepared = declared.map(([key, raw]): MockResponse => {
    const { node: response, pointer } = input.follow(raw, `${responsesAt}/${escape(key)}`);
    const content = (response?.content ?? {}) as Json;
    const contentType = pickMediaType(content);
    let examples: MockResponse["examples"] = [];
    if (contentType) {
      const { node: media, pointer: at } = input.follow(content[contentType], `${pointer}/content/${escape(contentType)}`);
      examples = media ? answersOf(media, at, contentType, input, notes) : [];
    }
    if (contentType && isProblemMediaType(contentType)) examples = examples.map(markRequestMembers);
    return { status: statusOf(key, hasSuccess), key, contentType, examples };
  });
  return { responses: prepared, notes };
}
