import { describe, expect, it } from "vitest";
import gateway from "../../../test/.generated/pipeline/app.ts";
import { call } from "../../../test/support/call.ts";

describe("set-headers and remove-headers", () => {
  it("set and remove request headers inbound, with ${env.X} filled in", async () => {
    const response = await call(gateway, "/v2/headers", { headers: { "x-secret": "s3cr3t", "x-tenant": "spoofed" } });
    const { headers } = (await response.json()) as { headers: Record<string, string> };
    expect(headers["x-tenant"]).toBe("acme");
    expect(headers["x-env"]).toBe("hello");
    expect(headers["x-secret"]).toBeUndefined();
  });

  it("set and remove response headers outbound; overwrite: false keeps what is there", async () => {
    const response = await call(gateway, "/v2/headers");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-kept")).toBe("original");
    expect(response.headers.get("x-internal")).toBeNull();
  });
});
