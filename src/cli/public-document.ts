/**
 * @module
 * /openapi.json as a static file among the Worker's assets (wrangler.toml's
 * [assets] folder, beside the portal): Workers Static Assets answer it before
 * the Worker runs, on Cloudflare and in `npm run dev`, so serving the document
 * costs the gateway nothing. The generated app still answers /openapi.json
 * itself for a Worker without assets (and for tests that call it directly).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assetsDirectory } from "./dev.ts";

/** Writes the public document into the assets folder; the file written, or undefined when the project has no assets. */
export function writePublicDocument(root: string, document: unknown): string | undefined {
  const assets = assetsDirectory(root);
  if (assets === undefined) return undefined;
  mkdirSync(assets, { recursive: true });
  const file = join(assets, "openapi.json");
  // The same text the app serves (see src/compiler/emit/emit.ts): compact JSON.
  writeFileSync(file, JSON.stringify(document));
  return file;
}
