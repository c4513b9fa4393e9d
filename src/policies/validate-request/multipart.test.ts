import { describe, expect, it } from "vitest";
import { DEFAULT_FORM_LIMITS } from "./form-tree.ts";
import { inRanges, isUtf8Label, matchMedia } from "./media-type.ts";
import { type MultipartRule, readMultipart } from "./multipart.ts";

/** A body written by hand, so that what each part says is exactly what the test says. */
function body(boundary: string, parts: Array<{ name: string; value: string; filename?: string; type?: string }>): ArrayBuffer {
  const text = parts
    .map(({ name, value, filename, type }) => {
      const disposition = `Content-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ""}`;
      return `--${boundary}\r\n${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ""}\r\n${value}\r\n`;
    })
    .join("");
  return new TextEncoder().encode(`${text}--${boundary}--\r\n`).buffer as ArrayBuffer;
}

/** Stripe's POST /v1/files: a file, a purpose, and a deepObject of options. */
const upload: MultipartRule = {
  coerce: {
    types: ["object"],
    properties: {
      file: { types: ["string"] },
      purpose: { types: ["string"] },
      file_link_data: { types: ["object"], properties: { create: { types: ["boolean"] } } },
      pages: { types: ["array"], items: { types: ["integer"] } },
    },
  },
  encoding: { file_link_data: { style: "deepObject", explode: true }, file: { style: "form", explode: true, partTypes: ["image/png", "application/pdf"] } },
  files: ["file"],
};

describe("multipart bodies", () => {
  it("reads bracketed part names like form fields, and stands a file in as an empty string", async () => {
    const read = await readMultipart(
      body("X", [
        { name: "purpose", value: "dispute_evidence" },
        { name: "file_link_data[create]", value: "true" },
        { name: "pages[0]", value: "1" },
        { name: "pages[1]", value: "2" },
        { name: "file", value: "%PDF", filename: "a.pdf", type: "application/pdf" },
      ]),
      "multipart/form-data; boundary=X",
      upload,
      DEFAULT_FORM_LIMITS,
    );
    expect(read).toMatchObject({ value: { purpose: "dispute_evidence", file_link_data: { create: true }, pages: [1, 2], file: "" }, violations: [] });
  });

  it("checks a file part's type against the encoding's contentType", async () => {
    const read = await readMultipart(
      body("X", [{ name: "file", value: "x", filename: "a.txt", type: "text/plain" }]),
      "multipart/form-data; boundary=X",
      upload,
      DEFAULT_FORM_LIMITS,
    );
    expect(read).toMatchObject({ violations: [{ in: "body", pointer: "/file", message: "must be sent as image/png or application/pdf, not text/plain" }] });
  });

  it("takes values literally: a plus or a percent sign is no encoding", async () => {
    const rule: MultipartRule = {
      coerce: { types: ["object"], properties: { tags: { types: ["array"], items: { types: ["string"] } } } },
      encoding: { tags: { style: "spaceDelimited", explode: false } },
    };
    const read = await readMultipart(body("X", [{ name: "tags", value: "a+b%20c d" }]), "multipart/form-data; boundary=X", rule, DEFAULT_FORM_LIMITS);
    expect(read).toMatchObject({ value: { tags: ["a+b%20c", "d"] } });
  });

  it("refuses more parts than maxKeys, a name nested too deep and a boundary the body does not use", async () => {
    const many = body(
      "X",
      Array.from({ length: 4 }, (_, i) => ({ name: `f${i}`, value: "1" })),
    );
    expect(await readMultipart(many, "multipart/form-data; boundary=X", {}, { ...DEFAULT_FORM_LIMITS, maxKeys: 3 })).toEqual({
      error: "The body has more than 3 parts.",
      pointer: "",
    });
    const deep = body("X", [{ name: `a${"[b]".repeat(40)}`, value: "1" }]);
    expect(await readMultipart(deep, "multipart/form-data; boundary=X", {}, DEFAULT_FORM_LIMITS)).toEqual({
      error: "nests deeper than 32 levels",
      pointer: "/a",
    });
    expect(await readMultipart(body("X", [{ name: "a", value: "1" }]), "multipart/form-data; boundary=Y", {}, DEFAULT_FORM_LIMITS)).toEqual({
      error: "The body is not valid multipart/form-data.",
    });
  });

  it("keeps __proto__ parts as data", async () => {
    const read = await readMultipart(
      body("X", [
        { name: "__proto__[polluted]", value: "1" },
        { name: "constructor", value: "2" },
      ]),
      "multipart/form-data; boundary=X",
      {},
      DEFAULT_FORM_LIMITS,
    );
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(read).toMatchObject({ value: { constructor: "2" } });
    expect(Object.keys((read as { value: object }).value)).toEqual(["__proto__", "constructor"]);
  });
});

describe("media types", () => {
  const media = [{ range: "application/json" }, { range: "application/vnd.api+json" }, { range: "image/*" }, { range: "*/*" }];

  it("prefers the exact type, then type/*, then */*", () => {
    expect(matchMedia("application/json", media)?.range).toBe("application/json");
    expect(matchMedia("application/vnd.api+json", media)?.range).toBe("application/vnd.api+json");
    expect(matchMedia("image/png", media)?.range).toBe("image/*");
    expect(matchMedia("application/merge-patch+json", media)?.range).toBe("*/*");
    expect(matchMedia("application/merge-patch+json", media.slice(0, 3))).toBeUndefined();
  });

  it("takes every label of UTF-8 as UTF-8, and nothing else", () => {
    for (const label of ["utf-8", "utf8", "unicode-1-1-utf-8"]) expect(isUtf8Label(label), label).toBe(true);
    for (const label of ["utf-16", "iso-8859-1", "us-ascii", "utf-8 "]) expect(isUtf8Label(label), label).toBe(false);
  });

  it("checks a part's type against comma-listed ranges", () => {
    expect(inRanges("image/png", ["image/*"])).toBe(true);
    expect(inRanges("text/plain", ["image/*", "application/pdf"])).toBe(false);
    expect(inRanges("text/plain", ["*/*"])).toBe(true);
  });
});
