import { describe, expect, it } from "vitest";
import { fillParams, MissingEnvError, resolveEnv, UnsafeParamError } from "./templates.ts";

describe("resolveEnv", () => {
  it("fills ${env.X} everywhere in a JSON value and leaves ${params.x} for the request", () => {
    const options = { url: "${env.HOST}/a/${params.id}", list: ["${env.HOST}"], n: 3 };
    expect(resolveEnv(options, { HOST: "https://up.example" })).toEqual({
      url: "https://up.example/a/${params.id}",
      list: ["https://up.example"],
      n: 3,
    });
  });

  it("throws MissingEnvError naming the variable", () => {
    expect(() => resolveEnv("${env.NOPE}", {})).toThrow(MissingEnvError);
  });
});

describe("fillParams", () => {
  it("percent-encodes every character that could change the URL's shape", () => {
    expect(fillParams("/a/${params.p}", { p: "../x?y#z@h:1 /" })).toBe("/a/..%2Fx%3Fy%23z%40h%3A1%20%2F");
  });

  it("refuses . and .. which a URL parser would resolve", () => {
    expect(() => fillParams("/a/${params.p}/b", { p: ".." })).toThrow(UnsafeParamError);
    expect(() => fillParams("/a/${params.p}", { p: "." })).toThrow(UnsafeParamError);
    expect(fillParams("/a/${params.p}", { p: "..." })).toBe("/a/...");
  });
});
