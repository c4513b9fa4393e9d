/**
 * @module
 * Where the museum example is: museum/ in the published package (prepack copies it), else
 * the root of the repository this package sits in. Its vars are the ones the example's
 * document reads (the staff tokens' public key), taken from the root's wrangler.toml.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const packed = fileURLToPath(new URL("../museum/", import.meta.url));
const repository = fileURLToPath(new URL("../../../", import.meta.url));

export function museumFolder() {
  return existsSync(packed) ? packed : repository;
}

/** The `[vars]` the example reads, from wrangler.toml's text (museum/vars.json when packed). */
export function museumVars() {
  const saved = `${packed}vars.json`;
  if (existsSync(saved)) return JSON.parse(readFileSync(saved, "utf8"));
  return varsOf(readFileSync(`${repository}wrangler.toml`, "utf8"));
}

export function varsOf(toml) {
  const key = /^STAFF_JWT_PUBLIC_KEY = """\n([\s\S]*?)"""/m.exec(toml);
  return key ? { STAFF_JWT_PUBLIC_KEY: key[1] } : {};
}
