import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, describeError } from "./log.ts";

afterEach(() => vi.restoreAllMocks());

function printed(readableStacks: boolean, level: "error" | "warn") {
  const lines: string[] = [];
  for (const sink of ["error", "warn", "log"] as const) vi.spyOn(console, sink).mockImplementation((line: string) => void lines.push(`${sink}: ${line}`));
  const error = new Error("it broke");
  createLogger({ requestId: "r-1", operationId: "op" }, { readableStacks })[level]("unhandled error", describeError(error));
  return { lines, stack: error.stack! };
}

describe("createLogger", () => {
  it("writes one JSON line with the stack in it", () => {
    const { lines, stack } = printed(false, "error");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0].slice("error: ".length))).toMatchObject({ level: "error", requestId: "r-1", errorMessage: "it broke", stack });
  });

  it("with readableStacks (npm run dev), follows it with the stack on lines of its own, which wrangler dev source-maps", () => {
    const { lines, stack } = printed(true, "error");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(`error: unhandled error (requestId r-1, operationId op)\n${stack}`);
    expect(stack).toMatch(/\n\s+at /);
    // wrangler dev maps the frames of console.error and console.log only: a warning's stack goes to console.log.
    expect(printed(true, "warn").lines[1]).toMatch(/^log: unhandled error/);
  });
});
