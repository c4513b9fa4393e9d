/**
 * The suite's consumers, made as a user makes them: `portico keys create`
 * against the project's local state. One at a time: wrangler's local KV takes
 * one writer, and a write that meets `npm run dev` starting up is tried again.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { CONSUMERS, type Consumer } from "./suite.ts";

const root = fileURLToPath(new URL("../../..", import.meta.url).href);
const run = promisify(execFile);

async function createKey(project: string, id: string, options: string[]): Promise<string> {
  const args = [join(root, "bin/portico.js"), "keys", "create", "--consumer", id, "--json", "--root", project, ...options];
  for (let attempt = 1; ; attempt++) {
    try {
      return (JSON.parse((await run(process.execPath, args)).stdout) as { key: string }).key;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

export async function createConsumers(project: string): Promise<Record<Consumer, string>> {
  const keys: Partial<Record<Consumer, string>> = {};
  for (const [id, options] of Object.entries(CONSUMERS)) keys[id as Consumer] = await createKey(project, id, options);
  return keys as Record<Consumer, string>;
}
