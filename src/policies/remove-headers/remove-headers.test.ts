import { describe, expect, it } from "vitest";
import { removeHeaders } from "./remove-headers.ts";
import { createContext } from "../../runtime/context.ts";
import { hooksOf } from "../../../test/support/hooks.ts";

const ctx = () => createContext({ route: { operationId: "t", method: "GET", path: "/" }, params: {}, env: {}, requestId: "r", waitUntil: () => {} });

describe("remove-headers", () => {
  it("removes the named request headers, whatever their case", async () => {
    const request = new Request("https://x.example/", { headers: { "X-Secret": "1", cookie: "a=b", accept: "text/plain" } });
    const out = (await hooksOf(removeHeaders, { headers: ["x-secret", "Cookie"] }).inbound!(request, ctx())) as Request;
    expect([...out.headers.keys()]).toEqual(["accept"]);
  });

  it("removes the named response headers and keeps status and body", async () => {
    const response = new Response("body", { status: 201, headers: { server: "nginx/1.2", "x-powered-by": "php" } });
    const out = await hooksOf(removeHeaders, { headers: ["Server", "X-Powered-By"] }).outbound!(response, new Request("https://x.example/"), ctx());
    expect(out.status).toBe(201);
    expect([...out.headers.keys()]).toEqual(["content-type"]);
    expect(await out.text()).toBe("body");
  });
});
