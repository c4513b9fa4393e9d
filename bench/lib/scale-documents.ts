/**
 * @module
 * The documents bench:scale builds: each fixture document (../shared/fixtures,
 * test/fixtures/specs when that folder is absent), GitHub's REST API
 * description (test/fixtures/github), and synthetic documents of chosen sizes.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { syntheticSpec } from "./synthetic-spec.ts";
import { writeGithubDocument } from "../../test/support/github-document.ts";
import { hasSharedFixtures, manifestDocuments, SHARED_FAILURES, sharedFixtures } from "../../test/support/shared-fixtures.ts";

export interface Document {
  name: string;
  spec: string;
  /** The request timed as the first one: the last templated route of a synthetic document, else a path no document declares. */
  path: string;
  expectStatus: number;
  routes?: number;
}

/** The name GitHub's document goes by in the tables and the targets. */
export const GITHUB_DOCUMENT_NAME = "github/api.github.com.json";
export const UNMATCHED_PATH = "/__scale/not-a-route";
/** The request GitHub's document is timed and measured with. */
export const GITHUB_FIRST_PATH = "/repos/octocat/Hello-World/issues";
const LOCAL_SPECS = fileURLToPath(new URL("../../test/fixtures/specs/", import.meta.url).href);

const unmatched = (name: string, spec: string): Document => ({ name, spec, path: UNMATCHED_PATH, expectStatus: 404 });

/** The fixture documents that build, each once: of a JSON and YAML twin, the YAML. */
function fixtureDocuments(): { source: string; documents: Document[] } {
  if (hasSharedFixtures) {
    const files = manifestDocuments()
      .map((entry) => entry.file)
      .filter((file) => !(file in SHARED_FAILURES));
    const stems = new Set(files.filter((file) => file.endsWith(".yaml")).map((file) => file.replace(/\.yaml$/, "")));
    const once = files.filter((file) => !(file.endsWith(".json") && stems.has(file.replace(/\.json$/, ""))));
    return { source: "../shared/fixtures", documents: once.map((file) => unmatched(file.replace(/^openapi\//, ""), join(sharedFixtures, file))) };
  }
  const documents: Document[] = [];
  for (const folder of readdirSync(LOCAL_SPECS, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    for (const file of readdirSync(join(LOCAL_SPECS, folder.name)).filter((name) => /\.(ya?ml|json)$/.test(name) && !name.startsWith("3.2-"))) {
      documents.push(unmatched(`${folder.name}/${file}`, join(LOCAL_SPECS, folder.name, file)));
    }
  }
  return { source: `${relative(process.cwd(), LOCAL_SPECS)} (../shared/fixtures is absent)`, documents };
}

/**
 * Every document of the run, written where a build reads it under `work`;
 * with `only`, those whose name holds that text (the synthetic ones are named
 * "synthetic, 1,000 operations").
 */
export function scaleDocuments(work: string, sizes: number[], only?: string): { source: string; documents: Document[] } {
  const wanted = (name: string) => only === undefined || name.includes(only);
  const fixtures = fixtureDocuments();
  const documents = fixtures.documents.filter((document) => wanted(document.name));
  // Asked for a repository's issues, as a client would: the operation's data is made on that first request.
  if (wanted(GITHUB_DOCUMENT_NAME)) {
    documents.push({ name: GITHUB_DOCUMENT_NAME, spec: writeGithubDocument(join(work, "github")), path: GITHUB_FIRST_PATH, expectStatus: 200 });
  }
  for (const routes of sizes) {
    const name = `synthetic, ${routes.toLocaleString("en")} operations`;
    if (!wanted(name)) continue;
    const { document, lastRoute } = syntheticSpec(routes);
    const spec = join(work, `synthetic-${routes}.json`);
    writeFileSync(spec, JSON.stringify(document));
    documents.push({ name, spec, path: lastRoute, expectStatus: 200, routes });
  }
  return { source: `${fixtures.source} and test/fixtures/github`, documents };
}
