import { describe, expect, it } from "vitest";
import { formats } from "./formats.ts";

const url = formats.url as (value: string) => boolean;

describe("the url format", () => {
  it("takes what ajv-formats' url takes, user info included", () => {
    for (const value of ["http://example.com", "https://user:pa:ss@example.com:8080/a/b?c=d#e", "ftp://8.8.8.8/x", "HTTPS://EXAMPLE.COM"]) {
      expect(url(value), value).toBe(true);
    }
    for (const value of ["http://10.0.0.1/", "http://localhost", "mailto:a@example.com", "http://exa mple.com", "http://a@b@example.com"]) {
      expect(url(value), value).toBe(false);
    }
  });

  it("answers a long run of digits, dots and colons with no @ at once (ajv-formats' takes seconds)", () => {
    expect(url(`ftp://172.30.3.56${"4.1.6.7:155".repeat(16_000)}\u0000`)).toBe(false);
  });
});
