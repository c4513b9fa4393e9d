import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { folderOf } from "./builtin.case.ts";
import { BUILTINS } from "./registry.ts";

const SRC = fileURLToPath(new URL("..", import.meta.url).href);

/** The contract suites, each from one file in the built-in's folder that names it. */
const SUITES = [
  { file: "build.test.ts", call: "runBuildContract" },
  { file: "contract.test.ts", call: "runRuntimeContract" },
];

describe("the registry of built-ins", () => {
  it.each([...BUILTINS.keys()])("runs both contract suites on %s, from its own folder", (name) => {
    const folder = folderOf(BUILTINS.get(name)!);
    for (const { file, call } of SUITES) {
      const path = join(folder, file);
      expect(existsSync(path), `${path} is missing`).toBe(true);
      expect(readFileSync(path, "utf8"), `${path} does not call ${call}("${name}", ...)`).toContain(`${call}("${name}"`);
    }
  });

  it("lists every folder that describes a built-in", () => {
    const folders = ["policies", "handlers"].flatMap((kind) =>
      readdirSync(join(SRC, kind), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(join(SRC, kind, entry.name, "build.ts")))
        .map((entry) => entry.name),
    );
    expect(folders.sort()).toEqual([...BUILTINS.keys()].sort());
  });
});
