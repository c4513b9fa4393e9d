/**
 * @module
 * Structural validation of the document against OpenAPI 3.0/3.1, by Redocly's
 * `struct` rule, which reads 3.1 correctly and locates every problem by file
 * and pointer (swagger-parser's validator rejects valid 3.1 documents).
 *
 * Inside Schema Objects, JSON Schema 2020-12 allows unknown keywords and
 * boolean schemas, which `struct` reports; those are not problems here.
 */
import { BaseResolver, createConfig, lint, Source, type Document } from "@redocly/openapi-core";
import { BuildError, tokensOf } from "../errors.ts";
import type { SourceSet } from "./sources.ts";

let config: ReturnType<typeof createConfig> | undefined;

const SCHEMA_TOKENS = new Set([
  "schema",
  "properties",
  "items",
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "additionalProperties",
  "$defs",
  "prefixItems",
  "patternProperties",
]);

function insideSchema(tokens: string[]): boolean {
  if (tokens[0] === "components" && tokens[1] === "schemas") return true;
  return tokens.some((token) => SCHEMA_TOKENS.has(token));
}

function ignorable(message: string, tokens: string[]): boolean {
  if (/^Can't resolve \$ref/.test(message)) return true; // the bundler reports $refs, with its own hint
  if (!insideSchema(tokens)) return false;
  if (/is not expected here/.test(message) || /Expected type `Schema` \(object\) but got `boolean`/.test(message)) return true;
  // A 3.0 boolean exclusiveMinimum/Maximum, which upgrade.ts rewrites (with a warning).
  const last = tokens.at(-1);
  return (last === "exclusiveMinimum" || last === "exclusiveMaximum") && /but got `boolean`/.test(message);
}

/**
 * Redocly's resolver, given each file as the build has read and parsed it: Redocly would read and
 * parse every file again, with js-yaml, which takes GitHub's 13 MB description a second and 300 MB. Redocly only
 * reads what it is given. A file the build cannot read is left to Redocly, which reports it.
 */
class ParsedOnceResolver extends BaseResolver {
  readonly #sources: SourceSet;

  constructor(sources: SourceSet) {
    super();
    this.#sources = sources;
  }

  override async loadExternalRef(absoluteRef: string): Promise<Source> {
    try {
      return new Source(absoluteRef, this.#sources.parse(absoluteRef).text);
    } catch {
      return super.loadExternalRef(absoluteRef);
    }
  }

  override parseDocument(source: Source, isRoot?: boolean): Document {
    try {
      return { source, parsed: this.#sources.parse(source.absoluteRef).value };
    } catch {
      return super.parseDocument(source, isRoot);
    }
  }
}

export async function lintStructure(entry: string, sources: SourceSet): Promise<BuildError[]> {
  config ??= createConfig({ rules: { struct: "error" } });
  const problems = await lint({ ref: entry, config: await config, externalRefResolver: new ParsedOnceResolver(sources) });
  const errors: BuildError[] = [];
  for (const problem of problems) {
    if (problem.severity !== "error") continue;
    const location = problem.location[0];
    const tokens = tokensOf((location?.pointer ?? "#").replace(/^#\/?$/, "").replace(/^#/, ""));
    if (ignorable(problem.message, tokens)) continue;
    const file = location?.source.absoluteRef ?? entry;
    const suggestion = problem.suggest?.length ? `Did you mean ${problem.suggest.map((s) => `"${s}"`).join(" or ")}? ` : "";
    errors.push(
      new BuildError(
        sources.locateIn(file, tokens),
        `Not valid OpenAPI: ${problem.message.replaceAll("`", '"')}`,
        `${suggestion}What this object takes is in the OpenAPI specification, https://spec.openapis.org/oas/v3.1.1 (docs/openapi-support.md says what Portico reads).`,
      ),
    );
  }
  return errors;
}
