/**
 * @module
 * The example's files, which `portico init` removes: only these, by name, so
 * a file the user added is never touched; a policy the new document uses is
 * kept too. Either name of the document goes, as the build reads
 * openapi/openapi.yaml before openapi/openapi.json.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

const DOCUMENTS = ["openapi/openapi.yaml", "openapi/openapi.json"];
const EXAMPLE_OPENAPI = ["openapi/schemas/exhibit.yaml"];
const EXAMPLE_POLICIES = ["policies/cache-control.ts", "policies/ticket-code.ts"];

/** The files to remove, relative to the root: those of the example (and a document by the other name) that init does not write again. */
export function exampleLeftovers(root: string, written: Set<string>, usedModules: Set<string>): string[] {
  const exists = (file: string) => existsSync(join(root, file));
  return [
    ...[...DOCUMENTS, ...EXAMPLE_OPENAPI].filter((file) => exists(file) && !written.has(file)),
    // A policy's test beside it (policies/x.test.ts) goes with it: it imports the policy.
    ...EXAMPLE_POLICIES.filter((file) => exists(file) && !usedModules.has(resolve(root, file))).flatMap((file) =>
      [file, file.replace(/\.ts$/, ".test.ts")].filter(exists),
    ),
  ];
}
