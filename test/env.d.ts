// Bindings and exports of the Worker under test (wrangler.toml + vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    UPSTREAM_URL: string;
    CLOSED_URL: string;
    GREETING: string;
    AUTH_URL: string;
    /** A service binding (vitest.config.ts): the target of forward's service tests. */
    ORDERS_WORKER: Fetcher;
    WEBSOCKET_ECHO_URL: string;
    JWT_STATIC_KEY: string;
    STAFF_JWT_PUBLIC_KEY: string;
    CONSUMERS: KVNamespace;
    PARTNERS: KVNamespace;
    RATE_LIMITER: DurableObjectNamespace<import("../src/policies/rate-limit/rate-limiter.ts").RateLimiter>;
    QUOTA: DurableObjectNamespace<import("../src/policies/quota/quota-counter.ts").QuotaCounter>;
    USAGE: DurableObjectNamespace<import("../src/policies/usage/usage-ledger.ts").UsageLedger>;
    CACHE_PURGE: DurableObjectNamespace<import("../src/policies/cache/cache-purges.ts").CachePurges>;
    CIRCUIT_BREAKER: DurableObjectNamespace<import("../src/handlers/forward/circuit-breakers.ts").CircuitBreakers>;
    TOKEN_LIMIT: DurableObjectNamespace<import("../src/policies/token-limit/token-counter.ts").TokenCounter>;
    /** The fake LLM providers of test/support/llm-providers.ts, and the llm gateway's providers and keys. */
    LLM_PROVIDERS_URL: string;
    LLM_MAIN_URL: string;
    LLM_MAIN_KEY: string;
    LLM_BACKUP_URL: string;
    LLM_BACKUP_KEY: string;
    USAGE_EVENTS: AnalyticsEngineDataset;
    PORTICO_ADMIN_TOKEN: string;
    SECURITY_PROFILE: "short" | "full";
  }
  interface Exports {
    default: Fetcher;
  }
}
