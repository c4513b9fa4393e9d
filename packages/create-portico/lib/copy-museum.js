/**
 * @module
 * prepack: the museum example of the repository's root (openapi/, policies/, portal/,
 * test/api/, and the vars its document reads) copied into museum/, which the package
 * ships as its `--template museum`.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { MUSEUM_PARTS } from "./files.js";
import { varsOf } from "./museum.js";

const root = new URL("../../../", import.meta.url);
const museum = new URL("../museum/", import.meta.url);
rmSync(museum, { recursive: true, force: true });
for (const part of MUSEUM_PARTS) cpSync(new URL(part, root), new URL(part, museum), { recursive: true });
writeFileSync(new URL("vars.json", museum), `${JSON.stringify(varsOf(readFileSync(new URL("wrangler.toml", root), "utf8")), null, 2)}\n`);
console.log(`create-portico: copied the museum example (${MUSEUM_PARTS.join(", ")}) into museum/`);
