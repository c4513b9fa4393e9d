/**
 * The walls between the code that runs in Workers and the code that runs in Node
 * (STYLE.md guideline 4, DESIGN.md "Layout"). `npm run lint` checks every import,
 * type-only ones included, against the rules below; tsconfig.worker.json checks the
 * same wall with the Workers types alone.
 *
 * @type {import("dependency-cruiser").IConfiguration}
 */

/** Code that runs in workerd: the Worker, its built-ins, user policies and generated apps. */
const WORKERS = [
  "^src/(runtime|policies|handlers|selfserve|mcp)/",
  "^src/(index|worker)\\.ts$",
  "^src/testing/",
  "^policies/",
  "^\\.portico/",
  "^test/\\.generated/",
  "^test/fixtures/gateways/[^/]+/policies/",
  "^test/fixtures/security/policies/",
  "^test/fixtures/example/policies/",
  "^test/workers/",
  "^test/api/",
  "^bench/gateways/",
];

/**
 * A built-in's build-time half, run by the compiler in Node: src/{policies,handlers}/<name>/build.ts,
 * the build-*.ts modules only it imports, and their tests.
 */
const BUILD_SIDE = "^src/(policies|handlers)/[^/]+/build[a-z.-]*\\.ts$";

/** Tests that run in workerd too, but may import types from the Node-side servers they call. */
const WORKERS_TESTS = ["^src/(runtime|policies|handlers)/.+\\.test\\.ts$", "^test/workers/", "^test/api/"];

const RUNTIME_CODE = { path: WORKERS, pathNot: [BUILD_SIDE, ...WORKERS_TESTS] };
const RUNTIME_CODE_AND_TESTS = { path: WORKERS, pathNot: [BUILD_SIDE] };

module.exports = {
  forbidden: [
    {
      name: "workers-no-node-builtins",
      comment:
        "This file runs in Workers, where Node's built-in modules do not exist. Use the Web API " +
        "(fetch, crypto.subtle, TextEncoder, URL, streams) or move the Node code to build time " +
        "(src/compiler, or the built-in's build.ts) and pass its result in through the generated app.",
      severity: "error",
      from: RUNTIME_CODE,
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "workers-tests-no-node-builtins",
      comment:
        "This test runs inside workerd, where Node's built-in modules do not load. Import only types " +
        "from Node code (`import type`), and reach Node-side helpers through test/setup.ts and inject().",
      severity: "error",
      from: { path: WORKERS_TESTS, pathNot: [BUILD_SIDE] },
      to: { dependencyTypes: ["core"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "workers-not-to-compiler",
      comment:
        "Code that runs in Workers must not import the compiler (build time, Node). Move what both " +
        "need into src/runtime or the built-in's folder and let the compiler import it from there; " +
        "build-time work goes in the compiler or in the built-in's build.ts.",
      severity: "error",
      from: RUNTIME_CODE_AND_TESTS,
      to: { path: "^src/compiler/" },
    },
    {
      name: "workers-not-to-portal",
      comment:
        "Code that runs in Workers must not import the portal generator (build time, Node). The " +
        "Worker serves the portal as static assets that `portico build` writes.",
      severity: "error",
      from: RUNTIME_CODE_AND_TESTS,
      to: { path: "^src/portal/" },
    },
    {
      name: "workers-not-to-cli",
      comment: "Code that runs in Workers must not import the CLI (Node). Move what both need into src/runtime.",
      severity: "error",
      from: RUNTIME_CODE_AND_TESTS,
      to: { path: "^src/cli/" },
    },
    {
      name: "workers-not-to-build-ts",
      comment:
        "A built-in's build.ts runs at build time in Node and may use the compiler; the runtime half " +
        "never imports it. Put what both halves need in another file of the folder (options.ts, ...).",
      severity: "error",
      from: RUNTIME_CODE_AND_TESTS,
      to: { path: BUILD_SIDE, pathNot: "\\.test\\.ts$" },
    },
    {
      name: "runtime-not-to-testing",
      comment:
        "portico/testing (src/testing) fakes clocks, upstreams and consumers for tests; code that " +
        "serves requests must never load it. Import it from a *.test.ts file only.",
      severity: "error",
      from: { path: WORKERS, pathNot: ["\\.test\\.ts$", "\\.case\\.ts$", "^src/testing/", "^test/"] },
      to: { path: ["^src/testing/", "^portico/testing$"] },
    },
    {
      name: "compiler-not-to-portal",
      comment:
        "The compiler must not import the portal generator. Pass the portal what it needs through " +
        "src/portal-input.ts, which both read, and let the CLI call both.",
      severity: "error",
      from: { path: "^src/compiler/" },
      to: { path: "^src/portal/" },
    },
    {
      name: "portal-not-to-compiler",
      comment:
        "The portal generator must not import the compiler, types included. Declare the shape of " +
        "its input in src/portal-input.ts and let the compiler produce it; the CLI calls both.",
      severity: "error",
      from: { path: "^src/portal/" },
      to: { path: "^src/compiler/" },
    },
  ],
  options: {
    // TypeScript 7 has no JavaScript API for dependency-cruiser's own parser; swc reads
    // TypeScript natively and reports `import type` as well.
    parser: "swc",
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^test/fixtures/json-schema-test-suite/", "^dist/", "^\\.wrangler/"] },
    // The bare "portico" (tsconfig `paths`) stays unresolved: dependency-cruiser reads
    // tsconfig through the TypeScript API too. It names src/index.ts, runtime code itself.
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "types", "default"],
      extensions: [".ts", ".js", ".mjs", ".json"],
    },
  },
};
