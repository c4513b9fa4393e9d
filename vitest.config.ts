import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import type { Plugin } from "vite";
import { configDefaults, defineConfig } from "vitest/config";
import { serviceWorker } from "./test/support/upstream-groups.ts";

const portico = fileURLToPath(new URL("./src/index.ts", import.meta.url).href);
/**
 * How user code's `portico` and `portico/testing` imports resolve, as package.json "exports" says. The
 * longer name first: Vite takes the first entry that matches, and `portico` matches `portico/…` too.
 */
const aliases = { "portico/testing": fileURLToPath(new URL("./src/testing/index.ts", import.meta.url).href), portico };

/** `npm run test:security` sets PORTICO_SECURITY_PROFILE=full: every case at full count. */
const securityProfile = process.env.PORTICO_SECURITY_PROFILE === "full" ? "full" : "short";

/**
 * Keeps Vite from saying "Sourcemap for … points to missing source files" of packages that
 * publish source maps without their sources: a couple of hundred lines a run, about files
 * nobody here can change. Vitest sets Vite's logger itself, so this wraps the one it set.
 */
const quietMissingSources: Plugin = {
  name: "quiet-missing-sources",
  configResolved({ logger }) {
    const { warnOnce } = logger;
    logger.warnOnce = (message, options) => {
      if (!/^Sourcemap for .* points to missing source files/.test(message)) warnOnce(message, options);
    };
  },
};

export default defineConfig({
  plugins: [quietMissingSources],
  resolve: { alias: aliases },
  test: {
    // A green run stays short: the console output of a test (the gateway logs every request)
    // shows only when that test fails. Vitest takes this for every project at once.
    silent: "passed-only",
    // The default output, one line counting the skipped tests by reason, and the security table when
    // security cases ran. Naming reporters on the command line replaces these: .ci/run names the
    // summary again.
    reporters: ["default", "./test/support/skip-summary.ts", "./test/security/report/reporter.ts"],
    projects: [
      {
        // Build time and tooling: the compiler, the CLI, `wrangler dev`.
        resolve: { alias: aliases },
        test: {
          name: "node",
          environment: "node",
          // A built-in's build.test.ts tests its build-time half (build.ts), which runs in Node.
          include: [
            "src/compiler/**/*.test.ts",
            "src/cli/**/*.test.ts",
            "src/portal/**/*.test.ts",
            "src/{policies,handlers}/*/build.test.ts",
            "test/node/**/*.test.ts",
          ],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Run time: inside workerd, with the gateways test/setup.ts compiled.
        resolve: { alias: aliases },
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              // A second consumer namespace, for schemes with their own `binding`.
              kvNamespaces: ["PARTNERS"],
              // An Analytics Engine dataset, for the usage policy's other store (local writes go nowhere).
              analyticsEngineDatasets: { USAGE_EVENTS: { dataset: "portico_usage" } },
              // A service binding, for forward's service targets: a function of the local upstream's that counts its hits.
              serviceBindings: { ORDERS_WORKER: { node: serviceWorker } },
              // Workers Rate Limiting bindings, as test/fixtures/gateways/approximate/wrangler.toml declares them (but UNBOUND_LIMIT).
              ratelimits: {
                TEN_SECONDS: { namespace_id: "1001", simple: { limit: 5, period: 10 } },
                PAID_TEN_SECONDS: { namespace_id: "1002", simple: { limit: 8, period: 10 } },
              },
              bindings: {
                UPSTREAM_URL: `http://127.0.0.1:${inject<number>("upstreamPort")}`,
                CLOSED_URL: `http://127.0.0.1:${inject<number>("closedPort")}`,
                GREETING: "hello",
                AUTH_URL: `http://127.0.0.1:${inject<number>("authPort")}`,
                // The receiver's steady collector: apart from the one the exporter's tests switch between modes.
                OTLP_URL: `http://127.0.0.1:${inject<number>("otlpPort")}/steady/v1/traces`,
                WEBSOCKET_ECHO_URL: `http://127.0.0.1:${inject<number>("websocketPort")}`,
                // The fake LLM providers (test/support/llm-providers.ts): each URL's path says how it answers.
                LLM_PROVIDERS_URL: `http://127.0.0.1:${inject<number>("llmProvidersPort")}`,
                LLM_MAIN_URL: `http://127.0.0.1:${inject<number>("llmProvidersPort")}/openai/ok/main/v1`,
                LLM_MAIN_KEY: "sk-main-test-key-0123456789abcdef",
                LLM_BACKUP_URL: `http://127.0.0.1:${inject<number>("llmProvidersPort")}/anthropic/ok/backup/v1`,
                LLM_BACKUP_KEY: "sk-ant-backup-test-key-0123456789abcdef",
                JWT_STATIC_KEY: inject<{ staticPem: string }>("testKeys").staticPem,
                STAFF_JWT_PUBLIC_KEY: inject<{ staticPem: string }>("testKeys").staticPem,
                INTROSPECTION_SECRET: "introspection-test-secret",
                // At least 32 characters, or the admin routes stay closed.
                PORTICO_ADMIN_TOKEN: "test-admin-token-0123456789abcdef",
                // How hard the security suite's workerd cases try: "short" in `npm test`, "full" in `npm run test:security`.
                SECURITY_PROFILE: securityProfile,
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: [
            "src/runtime/**/*.test.ts",
            "src/policies/**/*.test.ts",
            "src/handlers/**/*.test.ts",
            "test/workers/**/*.test.ts",
            "test/api/**/*.test.ts",
            "policies/**/*.test.ts",
          ],
          exclude: [...configDefaults.exclude, "src/{policies,handlers}/*/build.test.ts"],
          globalSetup: ["./test/setup.ts"],
        },
      },
      {
        // The security suite's cases against a real `npm run dev` (test/security; its workerd
        // cases live in test/workers/security). `npm test` runs the short profile.
        resolve: { alias: aliases },
        test: {
          name: "security",
          environment: "node",
          include: ["test/security/**/*.test.ts"],
          // One `npm run dev` of test/fixtures/security, and the servers around it, for every file.
          globalSetup: ["./test/security/setup.ts"],
          // The files wait on that server far more than they compute: three at once halve the run. A
          // project's own worker count needs a group of its own, run after the others.
          maxWorkers: 3,
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        // The portal in headless Chromium, against the real `npm run dev`.
        test: {
          name: "browser",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
