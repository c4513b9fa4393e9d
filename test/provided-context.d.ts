/**
 * What test/setup.ts (in Node) hands the tests through `project.provide()`, and
 * what they read back with `inject()`, in workerd and in Node alike.
 */
import type { TestKeys } from "./support/auth-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    upstreamPort: number;
    closedPort: number;
    authPort: number;
    testKeys: TestKeys;
    otlpPort: number;
    websocketPort: number;
    llmProvidersPort: number;
  }
}
