/**
 * Authentication hands forward a copy of the client's request that needs no
 * second look for hop-by-hop fields. A user's policy may still change that
 * copy's headers in place; what it adds that is hop-by-hop never reaches the upstream.
 */
import { beforeAll, describe, expect, it } from "vitest";
import gateway from "../.generated/request-cost/app.ts";
import { call } from "../support/call.ts";
import { storeConsumer } from "../support/consumers.ts";

let apiKey = "";

beforeAll(async () => {
  apiKey = await storeConsumer({ id: "tagging-consumer" });
});

async function upstreamSaw(path: string): Promise<Map<string, string>> {
  const response = await call(gateway, `/v1${path}`, { headers: { "x-api-key": apiKey, connection: "keep-alive" } });
  expect(response.status, await response.clone().text()).toBe(200);
  const { headers } = (await response.json()) as { headers: Array<[string, string]> };
  return new Map(headers);
}

describe("an authenticated request changed in place by a user's policy", () => {
  it("reaches the upstream without the hop-by-hop fields the policy set, with the consumer's headers", async () => {
    const seen = await upstreamSaw("/checked/tagged");
    expect(seen.get("x-consumer-id")).toBe("tagging-consumer");
    expect(seen.has("x-api-key")).toBe(false);
    expect(seen.has("proxy-connection")).toBe(false);
    // Named by the Connection field the policy set: hop-by-hop too (RFC 9110 §7.6.1).
    expect(seen.has("x-tag")).toBe(false);
  });
});
