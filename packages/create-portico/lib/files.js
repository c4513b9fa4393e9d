/**
 * @module
 * The files of a new project that are not its API: package.json, wrangler.toml,
 * vitest.config.ts, tsconfig.json and .gitignore. The project holds only what is the user's; the
 * gateway itself is the `portico` dependency, upgraded with `npm update portico`.
 */

/** What the museum template copies from the repository's root. */
export const MUSEUM_PARTS = ["openapi/", "policies/", "portal/", "test/api/"];

/**
 * The tools a project runs, at the ranges the portico package is tested with (its
 * peerDependencies; a test compares the two). Node 24 comes from npm as in the
 * repository, so the scripts run on it whatever Node runs npm.
 */
export const DEV_DEPENDENCIES = {
  "@cloudflare/vitest-plugin": "^1.5.0",
  "@cloudflare/workers-types": "^5.20261117.1",
  node: "^24.21.0",
  typescript: "^7.0.2",
  vitest: "^5.1.1",
  wrangler: "^4.164.0",
};

/** A Worker's name: lower-case letters, digits and dashes, as Cloudflare takes it. */
export function workerName(folderName) {
  const name = folderName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 54);
  return name || "portico-gateway";
}

export function packageJson(name, porticoSpec) {
  const manifest = {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: {
      dev: "portico dev",
      build: "portico build",
      check: "portico check",
      deploy: "wrangler deploy",
      test: "portico build && vitest run",
      // The Worker's bindings and exports, typed from wrangler.toml and the built entry, then every file checked.
      typecheck: "portico build && wrangler types --include-runtime=false && tsc",
    },
    dependencies: { portico: porticoSpec },
    devDependencies: DEV_DEPENDENCIES,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

const DURABLE_OBJECTS = [
  ["RATE_LIMITER", "RateLimiter", "Rate-limit counters: one object per policy instance and key."],
  ["QUOTA", "QuotaCounter", "Quota counters: one object per quota policy instance and consumer."],
  ["USAGE", "UsageLedger", "The usage ledger: each consumer's requests per operation and hour."],
  ["CACHE_PURGE", "CachePurges", "Cache purges: each route's and tag's purge generation."],
  ["CIRCUIT_BREAKER", "CircuitBreakers", "Circuit breakers shared by every isolate (circuitBreaker.shared)."],
  ["TOKEN_LIMIT", "TokenCounter", "LLM token counters: one object per token-limit policy instance and key."],
];

/** wrangler.toml: the Worker `portico build` writes into .portico/, its portal, and the bindings of the built-ins. */
export function wranglerToml(name, vars) {
  const varLines = Object.entries(vars).map(([key, value]) => `${key} = ${value.includes("\n") ? `"""\n${value}"""` : JSON.stringify(value)}`);
  return `#:schema node_modules/wrangler/config-schema.json
name = "${name}"
# Written by \`portico build\` from openapi/ and policies/.
main = ".portico/worker.ts"
compatibility_date = "2026-11-01"
compatibility_flags = ["enable_request_signal"]
send_metrics = false
minify = true
upload_source_maps = true

# \`portico build\` runs before every deploy, and again in \`npm run dev\` whenever a watched file changes.
[build]
command = "npx portico build"
watch_dir = ["openapi", "policies", "portal"]

[dev]
port = 8787
ip = "127.0.0.1"

# Worker vars the document reads as \${env.NAME}. Secrets: \`npx wrangler secret put NAME\`.
[vars]
${varLines.join("\n")}

# The developer portal \`portico build\` writes (portal/ → dist/portal/docs), served at /docs.
[assets]
directory = "./dist/portal"
html_handling = "auto-trailing-slash"
binding = "ASSETS"
run_worker_first = ["/docs/login", "/docs/callback", "/docs/logout", "/docs/keys"]

# Consumers and their API keys (\`npx portico keys create\`), keyed by the SHA-256 of the key.
[[kv_namespaces]]
binding = "CONSUMERS"

# The state of the built-in policies, each a SQLite-backed Durable Object class.
${DURABLE_OBJECTS.map(([binding, className, note]) => `# ${note}\n[[durable_objects.bindings]]\nname = "${binding}"\nclass_name = "${className}"\n`).join("\n")}
[[migrations]]
tag = "v1"
new_sqlite_classes = [${DURABLE_OBJECTS.map(([, className]) => JSON.stringify(className)).join(", ")}]
`;
}

/** Tests run inside workerd against the gateway `npm test` builds first (docs/testing-policies.md in portico). */
export const VITEST_CONFIG = `import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
  test: { include: ["policies/**/*.test.ts", "test/**/*.test.ts"] },
});
`;

/**
 * For editors and `npm run typecheck`: policies and tests as workerd runs them (Workers types,
 * the vitest plugin's `cloudflare:test`), with the bindings `wrangler types` writes.
 */
export const TSCONFIG = `{
  "compilerOptions": {
    "target": "es2024",
    "module": "preserve",
    "moduleResolution": "bundler",
    "lib": ["es2024"],
    "types": ["@cloudflare/workers-types", "@cloudflare/vitest-plugin/types"],
    "strict": true,
    "noEmit": true,
    "allowImportingTsExtensions": true,
    "verbatimModuleSyntax": true,
    "skipLibCheck": true
  },
  "include": ["policies", "test", "worker-configuration.d.ts"]
}
`;

export const GITIGNORE = `node_modules/
.portico/
worker-configuration.d.ts
dist/
.wrangler/
.dev.vars
*.log
`;
