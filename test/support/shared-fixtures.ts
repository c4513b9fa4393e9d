/**
 * The OpenAPI documents of ../shared/fixtures, a folder beside a checkout of
 * the project's workspace only, and those of them the compiler must refuse.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runIf } from "./skips.ts";

export const sharedFixtures = join(fileURLToPath(new URL(".", import.meta.url).href), "../../../shared/fixtures");

export const hasSharedFixtures = existsSync(sharedFixtures);

/** Appended to a describe title when the block is skipped for want of the folder. */
export const sharedFixturesMissing = "SKIPPED, the folder is not there (it is beside a checkout of the project's workspace only)";

/** The options of a describe block that needs the folder: skipped without it, saying why. */
export const withSharedFixtures = runIf(hasSharedFixtures, "../shared/fixtures is not there (it is beside a checkout of the project's workspace only)");

/**
 * Documents of ../shared/fixtures that do not compile, with the located error
 * each must give and why that is right.
 */
export const SHARED_FAILURES: Record<string, { pointer: string; why: string }> = {
  "openapi/oai-examples/v3.2/3.2-tags-example.json": { pointer: "/openapi", why: "OpenAPI 3.2 is not supported yet" },
  "openapi/oai-examples/v3.2/3.2-tags-example.yaml": { pointer: "/openapi", why: "OpenAPI 3.2 is not supported yet" },
  "openapi/oas-3.1-schema-tests/pass/operation-object-example.yaml": {
    pointer: "/paths/~1pets~1{id}/put",
    why: "it declares path parameter petId for /pets/{id}: the OAS schema cannot see that, the specification's text forbids it",
  },
  "openapi/oas-3.1-schema-tests/pass/security-scheme-object-examples.yaml": {
    pointer: "/components/securitySchemes/external",
    why: "its $ref is a remote URL, which the build never fetches",
  },
  "openapi/oas-3.1-schema-tests/fail/invalid_schema_types.yaml": { pointer: "/components/schemas/invalid_null", why: "a schema that is null" },
  "openapi/oas-3.1-schema-tests/fail/link-object-no-body.yaml": {
    pointer: "/components/links/Link-Object-with-body-property/body",
    why: "a Link Object has no body",
  },
  "openapi/oas-3.1-schema-tests/fail/no_containers.yaml": { pointer: "", why: "none of paths, components, webhooks" },
  "openapi/oas-3.1-schema-tests/fail/parameter-object-cookie-form-allowReserved.yaml": {
    pointer: "/components/parameters/style_cookie/style",
    why: "an unknown style",
  },
  "openapi/oas-3.1-schema-tests/fail/servers.yaml": { pointer: "/servers", why: "servers is not a list" },
  "openapi/oas-3.1-schema-tests/fail/unknown_container.yaml": { pointer: "", why: "none of paths, components, webhooks" },
};

/** The documents listed in openapi/manifest.json, paths relative to ../shared/fixtures. */
export function manifestDocuments(): Array<{ file: string; operations: number }> {
  const manifest = JSON.parse(readFileSync(join(sharedFixtures, "openapi/manifest.json"), "utf8")) as { specs: Array<{ file: string; operations: number }> };
  return manifest.specs;
}
