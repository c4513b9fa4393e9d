import { describe, expect, it } from "vitest";
import gateway from "../../../test/.generated/pipeline/app.ts";
import { call } from "../../../test/support/call.ts";

describe("redirect", () => {
  it("redirects with the parameter percent-encoded and the query kept", async () => {
    const response = await call(gateway, "/v2/go/a%2Fb%3Fc?utm=1&x=y", { redirect: "manual" });
    expect(response.status).toBe(301);
    expect(response.headers.get("location")).toBe("https://docs.example.com/articles/a%2Fb%3Fc?utm=1&x=y");
  });

  it("encodes ../ in a parameter so it cannot climb out of the path", async () => {
    const response = await call(gateway, "/v2/go/..%2F", { redirect: "manual" });
    expect(response.headers.get("location")).toBe("https://docs.example.com/articles/..%2F");
  });
});
