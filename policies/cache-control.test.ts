import { describe, expect, it } from "vitest";
import { callGateway, runPolicy, testRequest } from "portico/testing";
import app from "../.portico/app.ts";
import policy from "./cache-control.ts";

describe("cache-control", () => {
  it("lets successful answers be cached for maxAge seconds", async () => {
    const { response } = await runPolicy(policy, testRequest("/v1/exhibits"), { options: { maxAge: 60 } });
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
  });

  it("leaves errors uncached", async () => {
    const { response } = await runPolicy(policy, testRequest("/v1/exhibits"), {
      options: { maxAge: 60 },
      handler: () => new Response("gone", { status: 404 }),
    });
    expect(response.headers.has("cache-control")).toBe(false);
  });

  it("is on the exhibit list of the built gateway (openapi/openapi.yaml)", async () => {
    const response = await callGateway(app, testRequest("/v1/exhibits"));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
  });
});
