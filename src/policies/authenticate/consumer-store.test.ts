import { describe, expect, it } from "vitest";
import { GatewayError } from "../../runtime/errors.ts";
import { consumerOfKey } from "./consumer-store.ts";
import { generateApiKey } from "./key-format.ts";

// Fault injection: a namespace whose reads fail, as KV does in an outage.
const failing = { get: async () => Promise.reject(new Error("KV unavailable")) };

describe("consumerOfKey under a KV outage (F7)", () => {
  it("answers 503 (never anonymous, never 500) when KV cannot be read", async () => {
    const error = await consumerOfKey({ FAILING: failing }, "FAILING", generateApiKey()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).kind.status).toBe(503);
  });

  it("never reads KV for a key whose checksum is wrong", async () => {
    let reads = 0;
    const counting = { get: async () => (reads++, null) };
    const key = generateApiKey();
    expect(await consumerOfKey({ KV: counting }, "KV", key.slice(0, -1) + (key.endsWith("A") ? "B" : "A"))).toBeUndefined();
    expect(reads).toBe(0);
    expect(await consumerOfKey({ KV: counting }, "KV", key)).toBeUndefined();
    expect(reads).toBe(1);
  });
});
