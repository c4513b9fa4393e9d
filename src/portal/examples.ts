/**
 * @module
 * The examples a page shows and its samples send: the document's own first,
 * else a value made from the schema by the generator the mock handler
 * answers with (formats, patterns, enums, bounds, discriminators), checked
 * with the gateway's own validator when the build hands the portal one
 * (PortalInput.checkAt). A generated value that fails the check is not shown.
 *
 * A schema that many operations share is generated once per build. Pages stay
 * small: a shown value past DISPLAY_BUDGET is made again with fewer optional
 * properties, and a sample sends what the schema requires (a few short
 * optional properties when it requires nothing).
 */
import { flatten } from "../handlers/mock/build-flatten.ts";
import { generateValue } from "../handlers/mock/build-generate.ts";
import { escape, follow, isObject, METHODS } from "../synthesize/document.ts";
import type { PortalInput, SchemaFault } from "../portal-input.ts";
import { namedExamples, parameterValue, type Parameter } from "./operation-model.ts";

export type Direction = "request" | "response";
export type CheckAt = NonNullable<PortalInput["checkAt"]>;
export interface Example {
  name: string;
  summary?: string;
  value: unknown;
}

/** Pretty JSON longer than this is made again with fewer optional properties (Stripe's objects run to 10 kB). */
const DISPLAY_BUDGET = 3_000;
/** How deep objects keep their optional properties, tried in turn until a value fits the budget. */
const DEPTHS = [2, 1, 0, -1];
/** A sample's body, when its schema requires nothing: this many short optional properties, within this many characters. */
const SAMPLE_OPTIONAL = 5;
const SAMPLE_BUDGET = 600;
/** A document's example longer than this (compact JSON) is sent only if nothing shorter meets the schema. */
const SAMPLE_EXAMPLE_BUDGET = 2_000;

interface Generated {
  value: unknown;
  faults: SchemaFault[];
}

interface DocumentState {
  /** Each media object of an operation, by identity, and the pointer where it stands. */
  mediaAt: WeakMap<object, string>;
  generated: Map<string, Generated>;
  deref: (value: unknown) => any;
  checkAt?: CheckAt;
}

const states = new WeakMap<object, DocumentState>();

/** The gateway's checks for the document's schemas, as the build made them; without them values are generated unchecked. */
export function useChecks(document: Record<string, any>, checkAt: CheckAt | undefined): void {
  stateOf(document).checkAt = checkAt;
}

function stateOf(document: Record<string, any>): DocumentState {
  let state = states.get(document);
  if (!state) {
    state = { mediaAt: indexMedia(document), generated: new Map(), deref: (value) => follow(document, value, "").node };
    states.set(document, state);
  }
  return state;
}

/** Pointers of the request and response media objects of every operation and webhook (the page reads them already resolved). */
function indexMedia(document: Record<string, any>): WeakMap<object, string> {
  const index = new WeakMap<object, string>();
  const visit = (holder: unknown, at: string) => {
    const found = follow(document, holder, at);
    if (!isObject(found.node?.content)) return;
    for (const [mediaType, raw] of Object.entries(found.node.content)) {
      const media = follow(document, raw, `${found.pointer}/content/${escape(mediaType)}`);
      if (isObject(media.node) && !index.has(media.node)) index.set(media.node, media.pointer);
    }
  };
  for (const root of ["paths", "webhooks"]) {
    for (const [key, raw] of Object.entries<unknown>(isObject(document[root]) ? document[root] : {})) {
      const item = follow(document, raw, `/${root}/${escape(key)}`);
      for (const method of METHODS) {
        const operation = item.node?.[method];
        if (!isObject(operation)) continue;
        visit(operation.requestBody, `${item.pointer}/${method}/requestBody`);
        for (const [status, response] of Object.entries<unknown>(isObject(operation.responses) ? operation.responses : {}))
          visit(response, `${item.pointer}/${method}/responses/${escape(status)}`);
      }
    }
  }
  return index;
}

/** Whether values of this media type are generated: JSON and the form types, whose values are objects. */
export function generatesFor(mediaType: string): boolean {
  const base = mediaType.split(";")[0].trim().toLowerCase();
  return /[/+]json$/.test(base) || base === "application/x-www-form-urlencoded" || base === "multipart/form-data";
}

/** Where the media's schema stands (a shared component's own place), and the check of it; "" when unknown. */
function schemaPlace(document: Record<string, any>, media: Record<string, any>, direction: Direction) {
  const state = stateOf(document);
  const mediaAt = state.mediaAt.get(media);
  const at = follow(document, media.schema, mediaAt === undefined ? "" : `${mediaAt}/schema`).pointer;
  const check = at === "" ? undefined : state.checkAt?.(at, direction);
  return { state, at, check };
}

function generate(document: Record<string, any>, media: Record<string, any>, direction: Direction, fullDepth: number): Generated {
  const { state, at, check } = schemaPlace(document, media, direction);
  const key = `${direction} ${fullDepth} ${at}`;
  const known = at === "" ? undefined : state.generated.get(key);
  if (known) return known;
  const made = generateValue({ schema: media.schema, deref: state.deref, direction, check: check ?? (() => []), seed: at, fullDepth });
  if (at !== "") state.generated.set(key, made);
  return made;
}

/** The examples to show for a media type: the document's own, else one generated from its schema that meets it. */
export function shownExamples(document: Record<string, any>, media: Record<string, any>, mediaType: string, direction: Direction): Example[] {
  const own = namedExamples(document, media);
  if (own.length > 0 || media.schema === undefined || !generatesFor(mediaType)) return own;
  let best: { value: unknown; size: number } | undefined;
  for (const depth of DEPTHS) {
    const made = generate(document, media, direction, depth);
    if (made.faults.length > 0) continue;
    const size = JSON.stringify(made.value, null, 2)?.length ?? 0;
    if (!best || size < best.size) best = { value: made.value, size };
    if (size <= DISPLAY_BUDGET) break;
  }
  return best ? [{ name: "generated", summary: "Generated from the schema", value: best.value }] : [];
}

/**
 * The body a sample sends: the document's first example where it meets the schema, else a
 * generated value cut to what the schema requires. Undefined when there is nothing to send.
 */
export function sampleBody(document: Record<string, any>, media: Record<string, any>, mediaType: string): unknown {
  const { check } = media.schema === undefined ? { check: undefined } : schemaPlace(document, media, "request");
  const first = namedExamples(document, media)[0];
  // An example that breaks the schema would be refused by the gateway: the sample sends a value that is not.
  const usable = first && (!check || check(first.value).length === 0);
  if (media.schema === undefined || !generatesFor(mediaType)) return first?.value;
  const long = usable && (JSON.stringify(first.value)?.length ?? 0) > SAMPLE_EXAMPLE_BUDGET;
  if (usable && !long) return first.value;
  const made = cut(document, media.schema, generate(document, media, "request", DEPTHS[0]).value, check);
  // A long example of the document's (a signed bundle, a whole file) is printed once per language: the required part is sent instead.
  return long && (JSON.stringify(made)?.length ?? 0) >= SAMPLE_EXAMPLE_BUDGET ? first.value : made;
}

/** Only the required properties, or a few short ones when none is; the whole value when the cut one fails the check. */
function cut(document: Record<string, any>, schema: unknown, value: unknown, check: ((value: unknown) => SchemaFault[]) | undefined): unknown {
  if (!isObject(value)) return value;
  const required = new Set<string>(flatten(schema, stateOf(document).deref).required ?? []);
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) if (required.has(name)) out[name] = item;
  if (required.size === 0) {
    let size = 0;
    let count = 0;
    for (const [name, item] of Object.entries(value)) {
      const text = JSON.stringify(item) ?? "";
      if (text === "{}" || text === "[]" || size + text.length > SAMPLE_BUDGET) continue;
      out[name] = item;
      size += text.length;
      if (++count === SAMPLE_OPTIONAL) break;
    }
  }
  return check && check(out).length > 0 ? value : out;
}

/**
 * A parameter's value for samples and the try-it form: its example, default or first enum value,
 * else one generated from a schema that says enough (a format, a pattern, a number); "" otherwise.
 */
export function parameterSample(document: Record<string, any>, parameter: Parameter): string {
  const given = parameterValue(parameter);
  if (given !== "") return given;
  const flat = flatten(parameter.schema, stateOf(document).deref);
  const types = [flat.type].flat();
  const telling =
    flat.format !== undefined || flat.pattern !== undefined || types.some((type) => type === "integer" || type === "number" || type === "boolean");
  if (!telling) return "";
  const made = generateValue({
    schema: parameter.schema,
    deref: stateOf(document).deref,
    direction: "request",
    check: () => [],
    seed: `${parameter.in} ${parameter.name}`,
  });
  const value = made.value;
  return value === null || value === undefined || typeof value === "object" ? "" : String(value);
}
