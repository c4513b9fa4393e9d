import { describe, expect, it } from "vitest";
import { connectionOptions, withoutHopByHop, withoutHopByHopOrOverrides } from "./headers.ts";

describe("withoutHopByHop", () => {
  it("drops hop-by-hop and proxy fields and what Connection names, and keeps the rest untouched", () => {
    const sent = new Headers([
      ["connection", "keep-alive, X-Trace-Hop"],
      ["keep-alive", "timeout=5"],
      ["transfer-encoding", "chunked"],
      ["proxy-authorization", "Basic c2VjcmV0"],
      ["x-trace-hop", "1"],
      ["accept", "application/json"],
      ["set-cookie", "a=1"],
    ]);
    sent.append("set-cookie", "b=2");
    const kept = withoutHopByHop(sent);
    expect([...kept.keys()]).toEqual(["accept", "set-cookie", "set-cookie"]);
    expect(kept.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(sent.get("x-trace-hop")).toBe("1"); // the original is left as it was
  });

  it("ignores Connection options that are no field name instead of throwing", () => {
    const sent = new Headers({ connection: "close, not a name, x-ok", "x-ok": "1", "not-a-name": "kept" });
    expect(connectionOptions(sent)).toEqual(["close", "x-ok"]);
    expect([...withoutHopByHop(sent).keys()]).toEqual(["not-a-name"]);
  });
});

describe("withoutHopByHopOrOverrides", () => {
  it("is the request itself when there is nothing to drop, and a copy without a client's method or URL override otherwise", () => {
    const plain = new Request("https://gateway.example/files/a", { headers: { accept: "application/json", "x-method": "kept" } });
    expect(withoutHopByHopOrOverrides(plain)).toBe(plain);
    const sent = new Request("https://gateway.example/files/a", {
      headers: { "x-http-method-override": "DELETE", "x-original-url": "/admin", connection: "x-hop", "x-hop": "1", accept: "*/*" },
    });
    const kept = withoutHopByHopOrOverrides(sent);
    expect([...kept.headers.keys()]).toEqual(["accept"]);
    expect(kept.method).toBe("GET");
  });
});
