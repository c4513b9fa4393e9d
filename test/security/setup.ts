/**
 * Global setup of the security suite (runs in Node, once for every file): the
 * identity provider, the recording upstream and the attacker's host, then ONE
 * real `npm run dev` of test/fixtures/security in a temporary copy of the
 * project, its consumers made by `portico keys create` while it starts.
 */
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import type { Server } from "node:http";
import type { TestProject } from "vitest/node";
import { startDevServer, type DevServer } from "../support/dev-server.ts";
import { closedPort } from "../support/upstream.ts";
import { startWebSocketEcho } from "../support/websocket-echo.ts";
import { startAttacker } from "./support/attacker.ts";
import { createConsumers } from "./support/consumers.ts";
import { startControl } from "./support/control.ts";
import { hostileProject } from "./support/hostile-project.ts";
import { startIdentity } from "./support/identity.ts";
import { startUpstream } from "./support/recording-upstream.ts";
import "./support/suite.ts";

/** Closes a server at once: workerd may keep idle connections to it open. */
function close(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export default async function setup(project: TestProject) {
  const [identity, upstream, attacker, closed, echo] = await Promise.all([
    startIdentity(),
    startUpstream(),
    startAttacker(),
    closedPort(),
    startWebSocketEcho(),
  ]);
  let dev: DevServer | undefined;
  const control = await startControl({ upstream, attacker, identity, output: () => dev?.output() ?? "" });
  const servers = [identity.server, upstream.server, attacker.server, control.server, echo.server];
  // At least 32 characters, or the admin routes stay closed.
  const adminToken = `security-admin-${randomUUID()}`;
  const vars = {
    UPSTREAM_URL: `http://127.0.0.1:${upstream.port}`,
    AUTH_URL: `http://127.0.0.1:${identity.port}`,
    CLOSED_URL: `http://127.0.0.1:${closed}`,
    WEBSOCKET_ECHO_URL: `http://127.0.0.1:${echo.port}`,
    PORTICO_ADMIN_TOKEN: adminToken,
    // Cases simulate client addresses; Cloudflare's edge sets CF-Connecting-IP itself.
    PORTICO_DEV_TRUST_CLIENT_IP: "1",
  };
  const folder = hostileProject(vars);
  const teardown = async () => {
    dev?.stop();
    await Promise.all(servers.map(close));
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    const [started, consumers] = await Promise.all([startDevServer({ in: folder }), createConsumers(folder)]);
    dev = started;
    project.provide("securitySuite", {
      gateway: `${dev.base}/v1`,
      origin: dev.base,
      controlPort: control.port,
      upstreamPort: upstream.port,
      attackerPort: attacker.port,
      identityPort: identity.port,
      project: folder,
      adminToken,
      signingKeys: identity.keys,
      consumers,
      vars,
    });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
