/**
 * What test/security/setup.ts hands every test file (through vitest's
 * provide/inject): where the gateway and the servers around it listen, the
 * signing keys, and the consumers' API keys.
 */
import type { SigningKeys } from "./identity.ts";

export interface SecuritySuite {
  /** The gateway's base URL, e.g. http://127.0.0.1:41234/v1. */
  gateway: string;
  /** The dev server's origin, for requests outside the base path. */
  origin: string;
  controlPort: number;
  upstreamPort: number;
  attackerPort: number;
  identityPort: number;
  /** The project folder `npm run dev` serves (and keeps its state in). */
  project: string;
  adminToken: string;
  signingKeys: SigningKeys;
  /** API keys by consumer id, made with `portico keys create`. */
  consumers: Record<Consumer, string>;
  /** The .dev.vars of the project, for a second `npm run dev` of the same document. */
  vars: Record<string, string>;
}

/**
 * Consumers and the options `portico keys create` gets for each: alice and bob
 * (two callers that must never see each other's data or share a count), carol
 * with the admin scope.
 */
export const CONSUMERS = {
  alice: ["--tier", "free", "--scopes", "read"],
  bob: ["--tier", "free"],
  carol: ["--scopes", "admin"],
} satisfies Record<string, string[]>;

export type Consumer = keyof typeof CONSUMERS;

declare module "vitest" {
  export interface ProvidedContext {
    securitySuite: SecuritySuite;
  }
}
