import { describe, expect, it } from "vitest";
import { findDeprecatedKeys, renameDeprecatedKeys } from "./deprecated-keys.ts";
import { DEPRECATIONS, type Deprecation } from "./deprecations.ts";

// Portico's own table is empty (no key has been renamed yet): these tables stand in for a release that renames keys.
const TABLE: Deprecation[] = [
  { in: { options: "rate-limit" }, from: "windowSeconds", to: "window", since: "0.2.0" },
  { in: "root", from: "problemBase", to: "problems", since: "0.2.0" },
  { in: "scheme", from: "jwksUrl", since: "0.2.0", note: "write the key set's URL as `jwks`." },
];

const YAML = `openapi: 3.1.0
info: { title: T, version: "1" }
# the gateway
x-portico:
  problemBase: about:blank   # kept as it was
  policies:
    per-ip:
      use: rate-limit
      # ten a minute
      options: { limit: 10, windowSeconds: 60, by: ip }
paths:
  /a:
    get:
      x-portico:
        inbound: [{ use: rate-limit, options: { limit: 1, "windowSeconds": 1 } }]
      responses: { "200": { description: ok } }
components:
  securitySchemes:
    token:
      type: http
      scheme: bearer
      x-portico: { jwksUrl: https://id.example/jwks }
`;

describe("deprecated x-portico keys", () => {
  it("Portico's table is empty, and an empty table finds nothing", () => {
    expect(DEPRECATIONS).toEqual([]);
    expect(findDeprecatedKeys(YAML)).toEqual([]);
  });

  it("finds each where it is written: root, a built-in's options anywhere, a scheme", () => {
    const found = findDeprecatedKeys(YAML, TABLE).map(({ pointer, line, mechanical }) => ({ pointer, line, mechanical }));
    expect(found).toEqual([
      { pointer: "/x-portico/problemBase", line: 5, mechanical: true },
      { pointer: "/x-portico/policies/per-ip/options/windowSeconds", line: 10, mechanical: true },
      { pointer: "/paths/~1a/get/x-portico/inbound/0/options/windowSeconds", line: 15, mechanical: true },
      { pointer: "/components/securitySchemes/token/x-portico/jwksUrl", line: 22, mechanical: false },
    ]);
  });

  it("renames the mechanical ones and changes nothing else, comments and quoting included", () => {
    const { text, renamed, left } = renameDeprecatedKeys(YAML, TABLE);
    expect(renamed).toHaveLength(3);
    expect(left.map((key) => key.deprecation.from)).toEqual(["jwksUrl"]);
    expect(text).toBe(
      YAML.replace("problemBase: about:blank", "problems: about:blank").replace("windowSeconds: 60", "window: 60").replace('"windowSeconds": 1', '"window": 1'),
    );
  });

  it("leaves a key alone when the object already holds the new spelling", () => {
    const both = "x-portico:\n  problemBase: a\n  problems: { base: about:blank }\n";
    const { text, left } = renameDeprecatedKeys(both, TABLE);
    expect(text).toBe(both);
    expect(left[0].pointer).toBe("/x-portico/problemBase");
  });

  it("keeps a JSON document JSON, byte for byte but the key", () => {
    const json =
      '{\n  "openapi": "3.1.0",\n  "x-portico": {\n    "policies": { "p": { "use": "rate-limit", "options": { "limit": 5, "windowSeconds": 10 } } }\n  }\n}\n';
    const { text } = renameDeprecatedKeys(json, TABLE);
    expect(text).toBe(json.replace('"windowSeconds"', '"window"'));
    expect(JSON.parse(text)["x-portico"].policies.p.options).toEqual({ limit: 5, window: 10 });
  });
});
