/**
 * Generated hostile form and multipart bodies against a gateway that reads
 * them (test/fixtures/gateways/validation, /fuzz/*, answered by the mock):
 * each is admitted or refused with a 400 or 413 problem, never a 500, and no
 * prototype changes. 5,000 of each kind, seeded, so a failure replays.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import gateway from "../../../test/.generated/validation/app.ts";
import { call } from "../../../test/support/call.ts";

const RUNS = 5000;
const SEED = 20231016;

const NAMES = [
  "name",
  "count",
  "metadata",
  "items",
  "tags",
  "doc",
  "title",
  "meta",
  "file",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "",
];
const SEGMENTS = [
  "",
  "0",
  "1",
  "01",
  "-1",
  "1000",
  "1001",
  "999999999",
  "9".repeat(400),
  "__proto__",
  "constructor",
  "prototype",
  "length",
  "price",
  "quantity",
];
const BRACKETS: Array<[string, string]> = [
  ["[", "]"],
  ["%5B", "%5D"],
  ["%5b", "%5d"],
  ["[", "%5D"],
];
const VALUES = [
  "",
  "1",
  "01",
  "1e3",
  "-0",
  "true",
  "%",
  "%zz",
  "%E0%A4%A",
  "%C0%80",
  "%00",
  "%FF",
  "+",
  "%2B",
  "{",
  '{"a":1}',
  '{"__proto__":{"polluted":1}}',
  "a|b",
  "a%7Cb",
  "x".repeat(300),
];

const segment = fc.oneof(fc.constantFrom(...SEGMENTS), fc.string({ maxLength: 6 }));
const name = fc
  .tuple(
    fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 8 })),
    fc.array(fc.tuple(segment, fc.constantFrom(...BRACKETS)), { maxLength: 40 }),
    fc.constantFrom("", "", "", "[", "]", "]["),
  )
  .map(([base, path, tail]) => base + path.map(([inner, [open, close]]) => open + inner + close).join("") + tail);
const value = fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 12 }), fc.string({ unit: "binary", maxLength: 6 }));

const formBody = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.tuple(name, value), { maxLength: 60 }).map((pairs) => pairs.map(([key, text]) => `${key}=${text}`).join("&")) },
  // Many fields, many pushes onto one list, one deep name, a body over maxBodyBytes.
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom("a[]=1&", "items[][price]=p&", "f=1&", "__proto__[x]=1&"), fc.nat(2800)).map(([pair, count]) => pair.repeat(count)),
  },
  { weight: 1, arbitrary: fc.nat(4000).map((depth) => `metadata${"[a]".repeat(depth)}=1`) },
);

interface MultipartInput {
  parts: Array<{ name: string; value: string; filename?: string; type?: string }>;
  boundary: string;
  declared?: string;
  end: string;
}

const part = fc.record({
  name: name.map((text) => text.replace(/["\r\n\\]/g, "_")),
  value,
  filename: fc.option(fc.constantFrom("a.png", "x.bin", "evil\u0000.txt"), { nil: undefined }),
  type: fc.option(fc.constantFrom("image/png", "text/plain", "application/json", "image/png; charset=x"), { nil: undefined }),
});

const multipartBody: fc.Arbitrary<MultipartInput> = fc.record({
  parts: fc.array(part, { maxLength: 30 }),
  boundary: fc.constantFrom("X", "----b0undary", "a'b"),
  // The header's boundary and the body's disagree now and then.
  declared: fc.option(fc.constantFrom("X", "Y", "----b0undary"), { nil: undefined, freq: 4 }),
  end: fc.constantFrom("close", "close", "none", "smuggled", "no-crlf"),
});

function multipart({ parts, boundary, declared, end }: MultipartInput): { body: string; type: string } {
  let body = parts
    .map((p) => {
      const disposition = `Content-Disposition: form-data; name="${p.name}"${p.filename === undefined ? "" : `; filename="${p.filename}"`}`;
      return `--${boundary}\r\n${disposition}\r\n${p.type === undefined ? "" : `Content-Type: ${p.type}\r\n`}\r\n${p.value}\r\n`;
    })
    .join("");
  if (end === "close") body += `--${boundary}--\r\n`;
  if (end === "no-crlf") body += `--${boundary}--`;
  if (end === "smuggled") body += `--${boundary}--\r\n--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--${boundary}--\r\n`;
  return { body, type: `multipart/form-data; boundary="${declared ?? boundary}"` };
}

/** Statuses seen, per path: the generators must reach admission and each refusal. */
const seen = new Map<string, Set<number>>();

/** Admitted, or a 400 or 413 problem; anything else fails the property. */
async function answered(path: string, type: string, body: string): Promise<void> {
  const response = await call(gateway, path, { method: "POST", headers: { "content-type": type }, body });
  const status = response.status;
  seen.set(path, (seen.get(path) ?? new Set()).add(status));
  if (status !== 200) {
    expect([400, 413], `${status}: ${await response.clone().text()}`).toContain(status);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  }
  await response.body?.cancel();
}

describe("hostile form and multipart bodies", () => {
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  it(`${RUNS} form-urlencoded bodies: admitted, 400 or 413, never a 500`, { timeout: 180_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(formBody, (body) => answered("/fuzz/form", "application/x-www-form-urlencoded", body)),
      { numRuns: RUNS, seed: SEED },
    );
    expect([...seen.get("/fuzz/form")!].sort()).toEqual([200, 400, 413]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it(`${RUNS} multipart bodies: admitted, 400 or 413, never a 500`, { timeout: 180_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(multipartBody, (input) => {
        const { body, type } = multipart(input);
        return answered("/fuzz/upload", type, body);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect([...seen.get("/fuzz/upload")!].sort()).toEqual([200, 400]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
