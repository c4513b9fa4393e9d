// Bindings and exports of the Worker under test (wrangler.toml + vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    UPSTREAM_URL: string;
    CLOSED_URL: string;
    GREETING: string;
  }
  interface Exports {
    default: Fetcher;
  }
}
