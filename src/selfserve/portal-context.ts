/**
 * @module
 * What every portal sign-in and key request needs before it can be answered:
 * a transport cookies can be trusted on, the session secret, the consumers'
 * KV namespace and the provider's settings with their `${env.X}` filled in.
 * Anything missing is the operator's to fix, said on the page and, once per
 * isolate, in the log.
 */
import type { Env } from "../runtime/builtin.ts";
import { PROBLEM } from "../runtime/errors.ts";
import { createLogger } from "../runtime/log.ts";
import { MissingEnvError, resolveEnv } from "../runtime/templates.ts";
import type { SelfServeConfig } from "./config.ts";
import { isAllowedIssuerUrl } from "./oidc.ts";
import { refusal } from "./respond.ts";
import { MIN_SESSION_SECRET_LENGTH, Signer, transportOf } from "./session.ts";

export interface PortalContext {
  request: Request;
  env: Env;
  config: SelfServeConfig;
  kv: KVNamespace;
  signer: Signer;
  secure: boolean;
  auth: SelfServeConfig["auth"];
  waitUntil: (promise: Promise<unknown>) => void;
}

const logged = new Set<string>();

function logOnce(message: string): void {
  if (logged.has(message)) return;
  logged.add(message);
  createLogger({}).warn(message);
}

/** The context of a request, or the refusal that says what is missing. */
export async function portalContext(
  config: SelfServeConfig,
  request: Request,
  env: Env,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<PortalContext | Response> {
  const unavailable = (detail: string, log: string) => {
    logOnce(log);
    return refusal(request, env, config, PROBLEM.serviceUnavailable, detail);
  };
  const transport = transportOf(request);
  if (!transport) return refusal(request, env, config, PROBLEM.forbidden, "Signing in to the portal needs HTTPS.");
  const secret = env.PORTICO_SESSION_SECRET;
  if (typeof secret !== "string" || secret.length < MIN_SESSION_SECRET_LENGTH) {
    return unavailable(
      "Signing in is not set up on this gateway yet.",
      `PORTICO_SESSION_SECRET is missing or under ${MIN_SESSION_SECRET_LENGTH} characters: the portal's sign-in stays closed. Set one (openssl rand -base64 32) with \`wrangler secret put PORTICO_SESSION_SECRET\`, or in .dev.vars for \`npm run dev\`.`,
    );
  }
  const kv = env[config.binding] as KVNamespace | undefined;
  if (!kv || typeof kv.get !== "function") {
    return unavailable(
      "Signing in is not set up on this gateway yet.",
      `The KV binding ${config.binding} is missing from wrangler.toml: the portal keeps sessions and keys there.`,
    );
  }
  let auth: SelfServeConfig["auth"];
  try {
    auth = resolveEnv(config.auth, env);
  } catch (error) {
    if (!(error instanceof MissingEnvError)) throw error;
    return unavailable(
      "Signing in is not set up on this gateway yet.",
      `portal.config auth names \${env.${error.variable}}, which is not set: the portal's sign-in stays closed.`,
    );
  }
  if (!isAllowedIssuerUrl(auth.issuer)) {
    return unavailable("Signing in is not set up on this gateway yet.", `portal.config auth.issuer ${auth.issuer} is neither https nor http on localhost.`);
  }
  return { request, env, config, kv, signer: new Signer(secret), secure: transport.secure, auth, waitUntil };
}
