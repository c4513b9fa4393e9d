/**
 * GitHub's REST API description (test/fixtures/github: `@octokit/openapi`
 * 23.0.2, Brotli-compressed), written out uncompressed for a build to read.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync } from "node:zlib";

const COMPRESSED = fileURLToPath(new URL("../fixtures/github/api.github.com.json.br", import.meta.url).href);

/** The document's figures, counted from it. */
export const GITHUB_DOCUMENT = { paths: 811, operations: 1223 };

/** The document's text, as the package ships it. */
export function githubDocumentText(): Buffer {
  return brotliDecompressSync(readFileSync(COMPRESSED));
}

/** Writes the document into `folder` as api.github.com.json; returns its path. */
export function writeGithubDocument(folder: string): string {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, "api.github.com.json");
  writeFileSync(file, githubDocumentText());
  return file;
}
