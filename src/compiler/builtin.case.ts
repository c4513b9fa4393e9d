/**
 * @module
 * The build-time contract every built-in runs, as Hono's routers share
 * `common.case.test.ts`: its folder's `build.test.ts` calls
 * {@link runBuildContract} with options of its own. Each check is a real
 * `compile()` of a throwaway project, or a look at the descriptor the
 * registry holds: bad options fail the build where they are written, good
 * ones come out with the schema's defaults filled in, and the descriptor says
 * what its run-time module really does.
 */
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { Builtin, Hooks } from "../runtime/builtin.ts";
import { NOT_APPLICABLE, skipFor } from "../../test/support/skips.ts";
import { tempProject } from "../../test/support/temp-project.ts";
import { compile, type CompileResult } from "./compile.ts";
import type { BuiltinDescriptor, Hook } from "../builtin-descriptor.ts";
import { BUILTINS } from "./registry.ts";
import { type AppInstance, appInstances } from "./app-instances.case.ts";
import { optionsPointer, project, SUBJECT } from "./builtin-project.case.ts";
import { BUILD_TESTS, type BuildContract, type BuildTest } from "./builtin-terms.case.ts";

export { type AppInstance, appInstances } from "./app-instances.case.ts";
export { BUILD_TESTS, type BuildContract, type BuildTest, type Skip } from "./builtin-terms.case.ts";

/** Every hook the router runs. */
const HOOKS: readonly Hook[] = ["inbound", "outbound", "handle", "preflight", "finish"];

/** The folder a built-in's descriptor and run-time module live in. */
export const folderOf = (descriptor: BuiltinDescriptor) => dirname(fileURLToPath(descriptor.runtime.href));

/** Every object schema under this one (properties, items, map values), with its pointer. */
function objectSchemas(schema: Record<string, any>, pointer = ""): Array<{ schema: Record<string, any>; pointer: string }> {
  const found = schema.properties ? [{ schema, pointer }] : [];
  for (const [name, property] of Object.entries<Record<string, any>>(schema.properties ?? {}))
    found.push(...objectSchemas(property, `${pointer}/properties/${name}`));
  if (schema.items && typeof schema.items === "object") found.push(...objectSchemas(schema.items, `${pointer}/items`));
  if (schema.additionalProperties && typeof schema.additionalProperties === "object")
    found.push(...objectSchemas(schema.additionalProperties, `${pointer}/additionalProperties`));
  return found;
}

/** Runs the build-time contract on the registered built-in of this name. */
export function runBuildContract(name: string, contract: BuildContract): void {
  const descriptor = BUILTINS.get(name);
  const skipped = new Map((contract.skip ?? []).flatMap(({ reason, tests }) => tests.map((test) => [test, reason] as const)));
  const test = (key: BuildTest, body: () => Promise<void> | void, title: string = key) => {
    const reason = skipped.get(key);
    if (reason) it(`${title} (skipped: ${reason})`, skipFor(NOT_APPLICABLE), body);
    else it(title, body);
  };

  describe(`${name}: the build-time contract`, () => {
    it("is in the registry", () => {
      expect(descriptor, `no built-in "${name}" in src/compiler/registry.ts`).toBeDefined();
    });
    if (!descriptor) return;
    const schema = descriptor.options as Record<string, any>;

    // One build with the valid options, written out so the generated app can be read back.
    let valid: CompileResult;
    let instance: AppInstance | undefined;
    beforeAll(async () => {
      const needsOptions = !descriptor.derived && !skipped.has(BUILD_TESTS.valid);
      const root = tempProject({ "openapi/openapi.yaml": project(descriptor, needsOptions && contract.valid ? [[SUBJECT, contract.valid]] : []) });
      valid = await compile({ root });
      if (valid.errors.length > 0 || !valid.appFile) return;
      const runtime = fileURLToPath(descriptor.runtime.href);
      const instances = appInstances(valid.appFile).filter((found) => found.module === runtime);
      instance = descriptor.derived ? instances[0] : instances.find((found) => found.name === SUBJECT);
    });

    test(BUILD_TESTS.valid, () => {
      expect(contract.valid, "give the contract `valid` options, or skip this test with a reason").toBeDefined();
      expect(valid.errors.map((error) => error.format())).toEqual([]);
      expect(instance, `the generated app has no instance "${SUBJECT}" of ${name}`).toBeDefined();
    });

    test(BUILD_TESTS.defaults, () => {
      const defaults = Object.entries<Record<string, any>>(schema.properties ?? {}).filter(([option]) => contract.valid?.[option] === undefined);
      const filled = Object.fromEntries(defaults.filter(([, property]) => "default" in property).map(([option, property]) => [option, property.default]));
      expect(instance?.options).toMatchObject(filled);
    });

    describe("invalid options", () => {
      const cases = contract.invalid ?? [];
      let result: CompileResult;
      beforeAll(async () => {
        if (cases.length === 0 || skipped.has(BUILD_TESTS.invalid)) return;
        const instances = cases.map((options, i): [string, Record<string, unknown>] => [`invalid-${i}`, options]);
        result = await compile({ root: tempProject({ "openapi/openapi.yaml": project(descriptor, instances) }), check: true });
      });
      const errorsAt = (i: number) =>
        result.errors.filter(
          ({ location: { pointer } }) => pointer === optionsPointer(`invalid-${i}`) || pointer.startsWith(`${optionsPointer(`invalid-${i}`)}/`),
        );

      if (cases.length === 0) test(BUILD_TESTS.invalid, () => expect.fail("give the contract `invalid` options, or skip this test with a reason"));
      cases.forEach((options, i) => {
        test(
          BUILD_TESTS.invalid,
          () => {
            const errors = errorsAt(i);
            expect(errors.length, `${JSON.stringify(options)} built without an error at ${optionsPointer(`invalid-${i}`)}`).toBeGreaterThan(0);
            for (const error of errors) expect(error.message).toContain(`"${name}"`);
          },
          `refuses ${JSON.stringify(options)} at build, located at the options and naming the built-in`,
        );
      });
      if (cases.length > 0) {
        test(
          BUILD_TESTS.invalid,
          () => {
            const stray = result.errors.filter((error) => !cases.some((_, i) => errorsAt(i).includes(error)));
            expect(stray.map((error) => error.format())).toEqual([]);
          },
          "reports no error away from the invalid options",
        );
      }
    });

    test(BUILD_TESTS.summary, () => {
      expect(descriptor.summary).toMatch(/^[A-Z].*[^.]\.$/s);
      expect(descriptor.summary, "a sentence ends inside it").not.toMatch(/[.!?]\s/);
    });

    test(BUILD_TESTS.schema, () => {
      expect(schema.type).toBe("object");
      const objects = objectSchemas(schema);
      expect(objects.length, "the options schema lists no properties").toBeGreaterThan(0);
      for (const { schema: object, pointer } of objects) {
        expect(object.additionalProperties, `${pointer || "the options"} must set additionalProperties: false`).toBe(false);
        for (const [option, property] of Object.entries<Record<string, any>>(object.properties)) {
          expect(typeof property.description === "string" && property.description.length > 0, `${pointer}/properties/${option} has no description`).toBe(true);
        }
      }
    });

    test(BUILD_TESTS.kind, () => {
      const folder = folderOf(descriptor);
      expect(basename(folder)).toBe(name);
      expect(relative(join(folder, "..", ".."), dirname(folder))).toBe(descriptor.kind === "handler" ? "handlers" : "policies");
      expect(new Set(descriptor.hooks).size, "a hook is declared twice").toBe(descriptor.hooks.length);
      expect(descriptor.hooks.every((hook) => HOOKS.includes(hook))).toBe(true);
      if (descriptor.kind === "handler") expect(descriptor.hooks).toContain("handle");
      else {
        expect(descriptor.hooks).not.toContain("handle");
        expect(descriptor.hooks.length, "a policy with no hook does nothing").toBeGreaterThan(0);
      }
      if (descriptor.derived) expect(descriptor.kind, "only policies are derived from the document").toBe("policy");
    });

    test(BUILD_TESTS.hooks, async () => {
      expect(instance, "no instance to set up: the valid build failed").toBeDefined();
      const { default: builtin } = (await import(descriptor.runtime.href)) as { default: Builtin<unknown, unknown> };
      const hooks: Hooks = builtin.create({ name, options: instance!.options, prepared: instance!.prepared, env: {} });
      const declared = Object.fromEntries(HOOKS.map((hook) => [hook, descriptor.hooks.includes(hook) ? "function" : "undefined"]));
      expect(Object.fromEntries(HOOKS.map((hook) => [hook, typeof hooks[hook]]))).toEqual(declared);
      expect(
        Object.keys(hooks).filter((key) => !(HOOKS as string[]).includes(key)),
        "hooks the router does not know",
      ).toEqual([]);
    });
  });
}
