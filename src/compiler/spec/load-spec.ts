/**
 * @module
 * Loads the user's OpenAPI document: parse (YAML or JSON), bundle external
 * $refs into one document (internal and circular $refs stay as $refs), check
 * the version and the structure, and upgrade 3.0 schema semantics to 3.1.
 *
 * $refs are bundled by json-schema-ref-parser, the engine of swagger-parser,
 * used directly: swagger-parser itself refuses valid 3.1 documents that have
 * no `paths`, and its validator rejects valid 3.1 documents (see lint.ts).
 */
import { bundle } from "@apidevtools/json-schema-ref-parser";
import { BuildError } from "../errors.ts";
import { lintStructure } from "./lint.ts";
import { SourceSet } from "./sources.ts";
import { selfContained, withoutExtension } from "./refs.ts";
import { declareSchemaComponents, schemaFileComponents, withSchemaComponents } from "./schema-files.ts";
import { upgradeSchemas } from "./upgrade.ts";

export interface LoadedSpec {
  /** The bundled document, its schemas read with 3.1 semantics. */
  document: Record<string, any>;
  /** The bundled document as written, x-portico removed: what /openapi.json serves. */
  publicDocument: unknown;
  sources: SourceSet;
  warnings: BuildError[];
  /** "3.0" documents were upgraded to 3.1 semantics. */
  version: "3.0" | "3.1";
}

interface RefParserError {
  name?: string;
  message: string;
  source?: string;
  path?: Array<string | number>;
}

function refErrors(error: unknown, sources: SourceSet): BuildError[] {
  const group = error as { errors?: RefParserError[] };
  const list: RefParserError[] = group.errors ?? [error as RefParserError];
  return list.map((e) => {
    const unparsable = /Error parsing (\S+?):/.exec(e.message)?.[1];
    const file = unparsable ?? (e.source ? decodeURI(e.source.replace(/^file:\/\//, "")) : sources.entry);
    if (unparsable) {
      try {
        sources.parse(file);
      } catch (located) {
        if (located instanceof BuildError) return located;
      }
    }
    const remote = /Could not find resolver for "(https?:[^"]+)"/.exec(e.message)?.[1];
    return new BuildError(
      sources.locateIn(file, (e.path ?? []).map(String)),
      remote ? `The $ref "${remote}" is remote; the build never fetches from the network.` : `Unresolvable $ref: ${e.message.replace(/\s+/g, " ")}`,
      remote
        ? "Save that document under openapi/ and $ref the local copy, so every build reads the same thing."
        : "Make the $ref point at a file that exists (relative to the file holding the $ref) and a JSON pointer inside it, e.g. ./schemas.yaml#/Exhibit.",
    );
  });
}

function versionOf(document: Record<string, any>, sources: SourceSet): "3.0" | "3.1" {
  const at = sources.locateIn(sources.entry, ["openapi"]);
  if (document.swagger) {
    throw new BuildError(
      at,
      `Swagger ${document.swagger} documents are not supported.`,
      "Convert it to OpenAPI 3.1 (for instance with swagger2openapi), then build again.",
    );
  }
  const version = String(document.openapi ?? "");
  if (/^3\.0\.\d+$/.test(version)) return "3.0";
  if (/^3\.1\.\d+$/.test(version)) return "3.1";
  if (/^3\.2\.\d+$/.test(version)) {
    // Its structural checks (Redocly's struct rule) know 3.0 and 3.1 only.
    throw new BuildError(
      at,
      `OpenAPI ${version} is not supported yet.`,
      'If the document uses no 3.2 feature (tag parents, the QUERY method, itemSchema), set "openapi: 3.1.1"; otherwise keep a 3.1 copy for the gateway.',
    );
  }
  throw new BuildError(at, `"openapi: ${version}" is not a version Portico reads.`, 'Set "openapi: 3.1.0" (3.0.x documents are read too).');
}

export async function loadSpec(root: string, entry: string): Promise<LoadedSpec> {
  const sources = new SourceSet(root, entry);
  const raw = sources.parse(entry).value;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new BuildError(
      { file: sources.display(entry), pointer: "" },
      "The document is not an object.",
      "An OpenAPI document starts with `openapi: 3.1.0`, `info` and `paths`.",
    );
  }
  const version = versionOf(raw as Record<string, any>, sources);
  let document: Record<string, any>;
  // Schemas in files of their own keep their names, as components (see schema-files.ts).
  let schemaFiles = new Map<string, string>();
  try {
    // A copy, not the parsed file itself: the build changes its document, and locations are read from the file as written.
    if (selfContained(raw)) document = structuredClone(raw as Record<string, any>);
    else {
      schemaFiles = schemaFileComponents(sources);
      const input = withSchemaComponents(raw, schemaFiles);
      document = (await bundle(entry, input, { continueOnError: true, resolve: { external: true, http: false } })) as Record<string, any>;
    }
  } catch (error) {
    const errors = refErrors(error, sources);
    throw errors.length === 1 ? errors[0] : new AggregateError(errors, "unresolvable $refs");
  }
  const structural = await lintStructure(entry, sources);
  if (structural.length > 0) throw new AggregateError(structural, "invalid OpenAPI");
  declareSchemaComponents(raw as Record<string, any>, schemaFiles);
  // Copied before the upgrade: a 3.0 document must still read as 3.0 to its users.
  const publicDocument = withoutExtension(document);
  const upgraded = upgradeSchemas(document);
  const warnings: BuildError[] = [];
  if (version === "3.1" && upgraded > 0) {
    warnings.push(
      new BuildError(
        { file: sources.display(entry), pointer: "" },
        `${upgraded} schema(s) use 3.0 keywords that 3.1 reads differently (nullable, boolean exclusiveMinimum/exclusiveMaximum); Portico reads them as 3.0 meant.`,
        'Write type: [string, "null"] instead of nullable: true, and exclusiveMinimum: 0 instead of minimum: 0 with exclusiveMinimum: true.',
        "warning",
      ),
    );
  }
  return { document, publicDocument, sources, version, warnings };
}
