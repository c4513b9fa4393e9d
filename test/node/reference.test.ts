/**
 * docs/x-portico-reference.md is what `portico reference` prints: regenerate
 * it with `npx portico reference > docs/x-portico-reference.md` when an
 * options schema changes.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BUILTINS } from "../../src/compiler/registry.ts";
import { referenceMarkdown } from "../../src/compiler/reference.ts";

const committed = fileURLToPath(new URL("../../docs/x-portico-reference.md", import.meta.url).href);

describe("the x-portico reference", () => {
  it("is up to date with the schemas the build checks against", () => {
    expect(readFileSync(committed, "utf8")).toBe(referenceMarkdown());
  });

  it("documents every built-in and every one of its options", () => {
    const text = referenceMarkdown();
    for (const builtin of [...BUILTINS.values()].filter((b) => !b.derived)) {
      expect(text).toContain(`### \`${builtin.name}\``);
      for (const option of Object.keys((builtin.options as { properties?: object }).properties ?? {})) expect(text).toContain(`| \`${option}\``);
    }
  });
});
