/**
 * @module
 * The HAProxy peer of bench/peers.ts: the overhead bench's routes as HAProxy
 * rules written by hand (HAProxy reads no OpenAPI): the API key's SHA-256
 * looked up in a map file (hash → consumer), the query's `limit` and `sort`
 * checked by ACLs, the async route counted in a stick table per X-Bench-Key,
 * the key header taken out, the consumer's put in, the base path /v1
 * stripped, and the request forwarded over keep-alive. One thread, pinned to
 * the core workerd gets. The binary is Debian's package (`apt-get install
 * haproxy`); where it is missing, its rows are not measured.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { CONSUMER_ID, PATHS } from "./overhead-routes.ts";
import { spawnServer } from "./workerd.ts";

/** As the Portico route: far above what the bench sends. */
const LIMIT = 1_000_000;

/** "HAProxy 2.6.12-1+deb12u4", or undefined when `binary` cannot be run here. */
export async function haproxyVersion(binary: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)(binary, ["-v"]);
    const version = /version (\S+)/.exec(stdout)?.[1];
    return version ? `HAProxy ${version}` : undefined;
  } catch {
    return undefined;
  }
}

/** The configuration: one frontend on `port`, the origin as its one server. */
export function haproxyConfig(port: number, upstream: URL, keysMap: string): string {
  return `global
  nbthread 1
  maxconn 4096

defaults
  mode http
  option http-keep-alive
  timeout connect 5s
  timeout client 30s
  timeout server 30s

frontend gateway
  bind 127.0.0.1:${port}
  stick-table type string len 64 size 100k expire 60s store http_req_rate(60s)
  acl keyed path ${PATHS.checked} ${PATHS.async}
  acl limited path ${PATHS.async}
  acl known path ${PATHS.forward} ${PATHS.checked} ${PATHS.async}
  http-request deny deny_status 404 if !known
  # API key: its SHA-256, looked up in the consumers' map
  http-request set-var(txn.consumer) req.hdr(x-api-key),sha2(256),hex,lower,map(${keysMap}) if keyed
  http-request deny deny_status 401 if keyed !{ var(txn.consumer) -m found }
  # The query: limit an integer from 1 to 100, sort one of three words
  http-request deny deny_status 400 if keyed !{ url_param(limit) -m reg ^([1-9][0-9]?|100)$ }
  http-request deny deny_status 400 if keyed { url_param(sort) -m found } !{ url_param(sort) -m str name created updated }
  # Rate limit per X-Bench-Key, counted in this process's stick table
  http-request track-sc0 req.hdr(x-bench-key) if limited
  http-request deny deny_status 429 if limited { sc_http_req_rate(0) gt ${LIMIT} }
  http-request set-var(txn.limited) bool(true) if limited
  http-response set-header RateLimit-Policy "\\"bench\\";q=${LIMIT};w=60" if { var(txn.limited) -m bool }
  # What the origin gets
  http-request del-header x-api-key
  http-request set-header x-consumer-id %[var(txn.consumer)] if keyed
  http-request set-header x-forwarded-proto http
  http-request set-header x-forwarded-host %[req.hdr(host)]
  option forwardfor
  http-request set-path %[path,regsub(^/v1,)]
  default_backend origin

backend origin
  server origin ${upstream.hostname}:${upstream.port}
`;
}

/** Writes the configuration and the consumers' map into `work`, starts HAProxy (pinned to `cores` when given); `close` stops it. */
export async function startHaproxy(binary: string, work: string, port: number, upstream: string, apiKey: string, cores?: string) {
  const keysMap = join(work, "consumers.map");
  writeFileSync(keysMap, `${createHash("sha256").update(apiKey).digest("hex")} ${CONSUMER_ID}\n`);
  const config = join(work, "haproxy.cfg");
  writeFileSync(config, haproxyConfig(port, new URL(upstream), keysMap));
  const { child, close, log } = spawnServer(binary, ["-db", "-f", config], cores);
  return { close, exited: () => (child.exitCode === null ? undefined : log()) };
}
