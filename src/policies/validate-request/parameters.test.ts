import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Coercion, MAX_ITEMS, MAX_QUERY_PAIRS, type ParameterInput, type ParameterLocation, type ParameterRule, readParameter } from "./parameters.ts";
import { formDecode, parseQuery, queryOf } from "./raw-pairs.ts";

const COLORS = ["blue", "black", "brown"];
const RGB = { R: 100, G: 200, B: 150 };
const strings: Coercion = { types: ["array"], items: { types: ["string"] } };
const rgb: Coercion = { types: ["object"], properties: { R: { types: ["integer"] }, G: { types: ["integer"] }, B: { types: ["integer"] } } };

type RuleInit = Partial<ParameterRule> & { in: ParameterLocation };

function rule(init: RuleInit): ParameterRule {
  const form = init.in === "query" || init.in === "cookie";
  const style = init.style ?? (form ? "form" : "simple");
  return { name: "color", required: false, style, explode: style === "form", shape: "primitive", coerce: { types: ["string"] }, ...init };
}

function input(where: { query?: string; path?: string; headers?: Record<string, string> }): ParameterInput {
  return {
    // Serialized by the URL parser first, as a request's URL arrives.
    query: parseQuery(queryOf(new URL(`https://gateway.example/v1/items${where.query === undefined ? "" : `?${where.query}`}`).href)),
    headers: new Headers(where.headers),
    pathParams: where.path === undefined ? {} : { color: where.path },
  };
}

/** Where a serialized value goes for each location. */
function placed(location: ParameterLocation, serialized: string) {
  if (location === "query") return input({ query: serialized });
  if (location === "path") return input({ path: serialized });
  if (location === "header") return input({ headers: { color: serialized } });
  return input({ headers: { cookie: serialized } });
}

function read(init: RuleInit, serialized: string) {
  return readParameter(rule(init), placed(init.in, serialized));
}

describe("the Style Examples of OpenAPI 3.1 (Parameter Object)", () => {
  // [in, style, explode, string, array, object]; "-" where the table says n/a.
  const table: Array<[ParameterLocation, string, boolean, string, string, string]> = [
    ["path", "matrix", false, ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"],
    ["path", "matrix", true, ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"],
    ["path", "label", false, ".blue", ".blue,black,brown", ".R,100,G,200,B,150"],
    ["path", "label", false, ".blue", ".blue.black.brown", ".R.100.G.200.B.150"], // as OpenAPI 3.1.0 printed it
    ["path", "label", true, ".blue", ".blue.black.brown", ".R=100.G=200.B=150"],
    ["path", "simple", false, "blue", "blue,black,brown", "R,100,G,200,B,150"],
    ["path", "simple", true, "blue", "blue,black,brown", "R=100,G=200,B=150"],
    ["header", "simple", false, "blue", "blue,black,brown", "R,100,G,200,B,150"],
    ["header", "simple", true, "blue", "blue,black,brown", "R=100,G=200,B=150"],
    ["query", "form", false, "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"],
    ["query", "form", true, "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"],
    ["query", "spaceDelimited", false, "-", "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150"],
    ["query", "pipeDelimited", false, "-", "color=blue%7Cblack%7Cbrown", "color=R%7C100%7CG%7C200%7CB%7C150"],
    ["query", "pipeDelimited", false, "-", "color=blue|black|brown", "color=R|100|G|200|B|150"],
    ["query", "deepObject", true, "-", "-", "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"],
    ["cookie", "form", false, "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"],
  ];
  for (const [location, style, explode, string, array, object] of table) {
    const base = { in: location, style, explode };
    describe(`${location} ${style}${explode ? " explode" : ""}`, () => {
      if (string !== "-") {
        it(`${string} is "blue"`, () => expect(read(base, string)).toEqual({ present: true, value: "blue" }));
      }
      if (array !== "-") {
        it(`${array} is ${JSON.stringify(COLORS)}`, () => {
          expect(read({ ...base, shape: "array", coerce: strings }, array)).toEqual({ present: true, value: COLORS });
        });
      }
      it(`${object} is ${JSON.stringify(RGB)}`, () => {
        expect(read({ ...base, shape: "object", coerce: rgb }, object)).toEqual({ present: true, value: RGB });
      });
    });
  }

  it("the undefined column: ;color, . and color= are the empty string", () => {
    expect(read({ in: "path", style: "matrix" }, ";color").value).toBe("");
    expect(read({ in: "path", style: "label" }, ".").value).toBe("");
    expect(read({ in: "query" }, "color=").value).toBe("");
    expect(read({ in: "query" }, "color").value).toBe("");
  });
});

describe("strict coercion", () => {
  const query = (types: string[], raw: string) => read({ in: "query", coerce: { types } }, `color=${raw}`).value;
  const cases: Array<[string[], string, unknown]> = [
    [["integer"], "42", 42],
    [["integer"], "-7", -7],
    [["integer"], "0", 0],
    [["integer"], "1e3", "1e3"],
    [["integer"], "01", "01"],
    [["integer"], "%2B1", "+1"],
    [["integer"], "+1", " 1"],
    [["integer"], "1.0", "1.0"],
    [["integer"], "%201", " 1"],
    [["integer"], "-0", "-0"],
    [["integer"], "", ""],
    [["integer"], "1" + "0".repeat(400), "1" + "0".repeat(400)],
    [["number"], "1.5", 1.5],
    [["number"], "-2.5e-3", -0.0025],
    [["number"], "1E2", 100],
    [["number"], "1e400", "1e400"],
    [["number"], ".5", ".5"],
    [["number"], "1.", "1."],
    [["number"], "NaN", "NaN"],
    [["number"], "Infinity", "Infinity"],
    [["number"], "0x10", "0x10"],
    [["boolean"], "true", true],
    [["boolean"], "false", false],
    [["boolean"], "True", "True"],
    [["boolean"], "1", "1"],
    [["integer", "null"], "", null],
    [["integer", "null"], "null", "null"],
    [["integer", "string"], "5", 5],
    [["integer", "string"], "five", "five"],
    [["string", "boolean"], "true", true],
    [["boolean", "integer"], "1", 1],
    [["string"], "42", "42"],
    [[], "42", "42"],
  ];
  for (const [types, raw, expected] of cases) {
    it(`${JSON.stringify(raw)} as ${types.join(" or ") || "anything"} is ${JSON.stringify(expected)}`, () => {
      expect(query(types, raw)).toEqual(expected);
    });
  }

  it('"-0" is a number (the JSON grammar allows it) but not an integer', () => {
    expect(Object.is(query(["number"], "-0"), -0)).toBe(true);
  });

  it("items and properties are coerced by their own types", () => {
    const ids = { in: "query" as const, shape: "array" as const, explode: false, coerce: { types: ["array"], items: { types: ["integer"] } } };
    expect(read(ids, "color=1,2,x,03").value).toEqual([1, 2, "x", "03"]);
    const mixed = { types: ["object"], properties: { on: { types: ["boolean"] } }, additional: { types: ["number"] } };
    expect(read({ in: "query", style: "deepObject", explode: true, shape: "object", coerce: mixed }, "color[on]=true&color[x]=2.5&color[y]=no").value).toEqual({
      on: true,
      x: 2.5,
      y: "no",
    });
  });
});

describe("query strings", () => {
  it("the query read from the URL's text is the URL parser's, decoded as URLSearchParams does (fast-check)", () => {
    // "?" and "#" in every part: the serializer must escape them where they would end the path or the query.
    const units = ["a", "?", "#", "&", "=", "%41", "%C3%A9", "+", " ", "/", "é", "\u{1F600}", "@"];
    const part = fc.string({ unit: fc.constantFrom(...units, "%") });
    // No lone "%" in the query: a pair that does not decode is the next test's.
    const decodable = fc.string({ unit: fc.constantFrom(...units) });
    fc.assert(
      fc.property(part, part, fc.option(decodable), fc.option(part), (user, path, query, fragment) => {
        const url = new URL("https://gateway.example/");
        url.username = user;
        url.pathname = path;
        if (query !== null) url.search = query;
        if (fragment !== null) url.hash = fragment;
        const text = queryOf(url.href);
        expect(text, url.href).toBe(url.search.slice(1));
        // Every pair here decodes: key and values read as URLSearchParams reads them.
        const read = [...parseQuery(text).byKey].map(([key, values]) => [key, values.map(formDecode)]);
        const expected = [...new Set(url.searchParams.keys())].map((key) => [key, url.searchParams.getAll(key)]);
        expect(read, url.href).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("+ is a space and %2B a plus, as form encoding says", () => {
    expect(read({ in: "query" }, "color=dark+blue%2Bgreen").value).toBe("dark blue+green");
  });

  it("a comma that is percent-encoded stays inside its item", () => {
    expect(read({ in: "query", shape: "array", explode: false, coerce: strings }, "color=a%2Cb,c").value).toEqual(["a,b", "c"]);
  });

  it("an empty value of a non-exploded array is an empty array", () => {
    expect(read({ in: "query", shape: "array", explode: false, coerce: strings }, "color=").value).toEqual([]);
  });

  it("unknown parameters, and keys that do not decode, are no error", () => {
    expect(read({ in: "query" }, "other=%zz&x%zz=1&color=blue")).toEqual({ present: true, value: "blue" });
  });

  it("an empty value: present and empty, unless allowEmptyValue makes it a value-less presence", () => {
    expect(read({ in: "query", required: true, coerce: { types: ["integer"] } }, "color=")).toEqual({ present: true, value: "" });
    expect(read({ in: "query", required: true, allowEmptyValue: true }, "color=")).toEqual({ present: true });
    expect(read({ in: "query", allowEmptyValue: true }, "color=x").value).toBe("x");
  });

  it("an exploded free-form object takes every key but the other parameters'", () => {
    const filter = {
      in: "query" as const,
      shape: "object" as const,
      coerce: { types: ["object"], additional: { types: ["integer"] } },
      excludeKeys: ["limit"],
    };
    expect(read(filter, "a=1&b=x&limit=5").value).toEqual({ a: 1, b: "x" });
    expect(read(filter, "limit=5")).toEqual({ present: false });
  });

  it("an exploded object with declared properties takes only those", () => {
    expect(read({ in: "query", shape: "object", coerce: rgb }, "R=1&G=2&limit=5").value).toEqual({ R: 1, G: 2 });
  });

  it("in an exploded object, a repeated key makes a list only where the property is an array", () => {
    const coerce = { types: ["object"], properties: { tag: { types: ["array"], items: { types: ["integer"] } }, R: { types: ["integer"] } } };
    expect(read({ in: "query", shape: "object", coerce }, "tag=1&R=5&tag=2").value).toEqual({ tag: [1, 2], R: 5 });
    expect(read({ in: "query", shape: "object", coerce }, "R=1&R=2").violation?.message).toBe('Query parameter "color" has "R" more than once.');
  });
});

describe("deepObject", () => {
  const deep = { in: "query" as const, style: "deepObject", explode: true, shape: "object" as const, coerce: rgb };
  const integer = { types: ["integer"] };

  it("reads brackets raw or percent-encoded, and ignores other keys", () => {
    expect(read(deep, "color[R]=1&color%5BG%5D=2&colour[B]=3&colorful=4").value).toEqual({ R: 1, G: 2 });
  });

  it("a property given twice is a violation unless its schema is an array", () => {
    expect(read(deep, "color[R]=1&color[R]=2").violation?.message).toBe('Query parameter "color" has "color[R]" more than once.');
    const tags = { ...deep, coerce: { types: ["object"], properties: { tags: { types: ["array"], items: integer } } } };
    expect(read(tags, "color[tags]=1&color[tags]=2").value).toEqual({ tags: [1, 2] });
    expect(read(tags, "color[tags][]=1&color[tags][]=2").value).toEqual({ tags: [1, 2] });
  });

  it("nested brackets build nested objects, and arrays where the schema has them, by index", () => {
    const line = { types: ["object"], properties: { id: integer, qty: integer } };
    const order = { ...deep, coerce: { types: ["object"], properties: { lines: { types: ["array"], items: line } } } };
    expect(read(order, "color[lines][1][id]=3&color[lines][0][id]=1&color[lines][0][qty]=2&color[note][x]=y").value).toEqual({
      lines: [{ id: 1, qty: 2 }, { id: 3 }],
      note: { x: "y" },
    });
  });

  it("an array with deepObject, as Stripe's expand[] is written, in any of the usual ways", () => {
    const expand = { ...deep, name: "expand", shape: "array" as const, coerce: strings };
    for (const query of ["expand[]=a&expand[]=b", "expand[0]=a&expand[1]=b", "expand[1]=b&expand[0]=a", "expand=a&expand=b"]) {
      expect(read(expand, query).value, query).toEqual(["a", "b"]);
    }
  });

  it("a schema that is no object reads name=value", () => {
    expect(read({ ...deep, shape: "primitive", coerce: { types: ["string", "integer"] } }, "color=5").value).toBe(5);
  });

  it("a value and members at the same key, deep nesting and huge indexes are violations", () => {
    expect(read(deep, "color[R]=1&color[R][x]=2").violation?.message).toBe('Query parameter "color" has both a value and members at "color[R][x]".');
    expect(read(deep, `color${"[a]".repeat(9)}=1`).violation?.message).toMatch(/nests "color\[a\].*" deeper than 8 levels\.$/);
    const expand = { ...deep, shape: "array" as const, coerce: strings };
    expect(read(expand, "color[5000]=a").violation?.message).toBe(`Query parameter "color" has more than ${MAX_ITEMS} items.`);
  });

  it("absent when no key names it; required then is a violation", () => {
    expect(read({ ...deep, required: true }, "colour[R]=1").violation).toEqual({ in: "query", name: "color", message: 'Query parameter "color" is required.' });
  });
});

describe("content-typed parameters", () => {
  it("JSON in a query parameter is percent-decoded then parsed", () => {
    const json = encodeURIComponent(JSON.stringify({ a: [1, "x y"] }));
    expect(read({ in: "query", content: "json" }, `color=${json}`).value).toEqual({ a: [1, "x y"] });
  });

  it("JSON in a header is parsed as sent", () => {
    expect(read({ in: "header", content: "json" }, '{"R":100}').value).toEqual({ R: 100 });
  });

  it("text in a cookie is kept as sent, percent signs and all", () => {
    expect(read({ in: "cookie", content: "text" }, "color=a%20b").value).toBe("a%20b");
  });

  it("JSON that does not parse is a violation", () => {
    expect(read({ in: "query", content: "json" }, "color=%7Bnope").violation?.message).toBe('Query parameter "color" is not valid JSON.');
  });
});

describe("violations", () => {
  const message = (init: RuleInit, serialized: string) => read(init, serialized).violation?.message;

  it("a NUL character, wherever it arrives", () => {
    expect(message({ in: "query" }, "color=a%00b")).toBe('Query parameter "color" contains a NUL character.');
    expect(message({ in: "query", shape: "array", explode: false, coerce: strings }, "color=a,%00")).toBe('Query parameter "color" contains a NUL character.');
    expect(message({ in: "path" }, "a\0b")).toBe('Path parameter "color" contains a NUL character.');
    expect(message({ in: "cookie" }, "color=%00")).toBe('Cookie parameter "color" contains a NUL character.');
    expect(message({ in: "query", content: "json" }, "color=%22%00%22")).toBe('Query parameter "color" contains a NUL character.');
  });

  it("a header is never percent-decoded, so %00 there is three characters", () => {
    expect(read({ in: "header" }, "a%00b").value).toBe("a%00b");
  });

  it("invalid percent-encoding, including bytes that are not UTF-8", () => {
    expect(message({ in: "query" }, "color=%zz")).toBe('Query parameter "color" has invalid percent-encoding.');
    expect(message({ in: "query" }, "color=%FF")).toBe('Query parameter "color" has invalid percent-encoding.');
    expect(message({ in: "cookie" }, "color=%E2%82")).toBe('Cookie parameter "color" has invalid percent-encoding.');
  });

  it("a missing required parameter, in each place", () => {
    for (const location of ["query", "path", "header", "cookie"] as const) {
      const label = location[0].toUpperCase() + location.slice(1);
      expect(readParameter(rule({ in: location, required: true }), input({}))).toEqual({
        present: false,
        violation: { in: location, name: "color", message: `${label} parameter "color" is required.` },
      });
    }
    expect(readParameter(rule({ in: "query" }), input({}))).toEqual({ present: false });
  });

  it("a single value given twice", () => {
    expect(message({ in: "query" }, "color=1&color=2")).toBe('Query parameter "color" is given 2 times; it takes one value.');
  });

  it("an object that is not name,value pairs, or gives a name twice", () => {
    const object = { in: "path" as const, shape: "object" as const, coerce: rgb };
    expect(message(object, "R,100,G")).toBe('Path parameter "color" must list names and values in pairs, as R,100,G,200.');
    expect(message(object, "R,1,R,2")).toBe('Path parameter "color" has "R" more than once.');
    expect(message({ ...object, explode: true }, "R=1,G")).toBe('Path parameter "color" has "G" where name=value belongs.');
  });

  it("label and matrix values without their leading character, or under another name", () => {
    expect(message({ in: "path", style: "label" }, "blue")).toBe('Path parameter "color" must start with "." (label style).');
    expect(message({ in: "path", style: "matrix" }, "blue")).toBe('Path parameter "color" must start with ";" (matrix style).');
    expect(message({ in: "path", style: "matrix" }, ";colour=blue")).toBe('Path parameter "color" must be written ;color=value (matrix style).');
  });

  it("a __proto__ key is data, never the object's prototype", () => {
    const value = read({ in: "path", shape: "object", coerce: { types: ["object"] } }, "__proto__,1,a,2").value as object;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["__proto__", "a"]);
  });
});

describe("bounded work", () => {
  it(`a query string of more than ${MAX_QUERY_PAIRS} pairs is refused quickly`, () => {
    const hostile = Array.from({ length: 200_000 }, (_, i) => `k${i}=1`).join("&");
    const started = performance.now();
    expect(read({ in: "query" }, `${hostile}&color=blue`).violation?.message).toBe(
      `Query parameter "color" cannot be read: the query string has more than ${MAX_QUERY_PAIRS} parameters.`,
    );
    expect(performance.now() - started).toBeLessThan(500);
    const fine = Array.from({ length: MAX_QUERY_PAIRS - 1 }, (_, i) => `k${i}=1`).join("&");
    expect(read({ in: "query" }, `${fine}&color=blue`).value).toBe("blue");
  });

  it(`an array of more than ${MAX_ITEMS} items is refused`, () => {
    const array = { in: "query" as const, shape: "array" as const, explode: false, coerce: strings };
    expect(read(array, `color=${"x,".repeat(MAX_ITEMS)}x`).violation?.message).toBe(`Query parameter "color" has more than ${MAX_ITEMS} items.`);
    expect(read(array, `color=${"x,".repeat(MAX_ITEMS - 1)}x`).value).toHaveLength(MAX_ITEMS);
  });
});

describe("headers and cookies", () => {
  it("a header list may carry spaces after its commas", () => {
    const ids = { in: "header" as const, shape: "array" as const, coerce: { types: ["array"], items: { types: ["integer"] } } };
    expect(read(ids, "1, 2,\t3").value).toEqual([1, 2, 3]);
  });

  it("cookies among others; repeated cookies make an exploded array, and are refused where one value is taken", () => {
    expect(read({ in: "cookie" }, "session=x; color=blue; theme=dark; theme=light").value).toBe("blue");
    expect(read({ in: "cookie", shape: "array", coerce: strings }, "color=blue; x=1; color=black").value).toEqual(["blue", "black"]);
    const twice = 'Cookie parameter "color" is given 2 times; it takes one value.';
    expect(read({ in: "cookie" }, "color=blue; color=black").violation?.message).toBe(twice);
    expect(read({ in: "cookie", content: "text" }, "color=blue; color=blue").violation?.message).toBe(twice);
    expect(read({ in: "cookie", shape: "array", explode: false, coerce: strings }, "color=a,b; color=c").violation?.message).toBe(twice);
  });

  it("an exploded object's properties are cookies of their own", () => {
    expect(read({ in: "cookie", shape: "object", coerce: rgb }, "R=100; session=x; G=200").value).toEqual({ R: 100, G: 200 });
  });
});

// Round trips: serialize as a client following the style would, read back the same value.
const KEY_UNITS = [..."abcXYZ019-_~!*'()@$:"];
const VALUE_UNITS = [...KEY_UNITS, ..."/?#&+%[]", "é", "日", "🙂"];
const ASCII_UNITS = [...KEY_UNITS, ..."/?#&+%[]"];
const text = (units: string[]) => fc.string({ unit: fc.constantFrom(...units), minLength: 1, maxLength: 8 });
const enc = encodeURIComponent;

interface StyleCase {
  in: ParameterLocation;
  style: string;
  explode: boolean;
  ascii?: boolean;
  array?: (items: string[]) => string;
  object?: (entries: Array<[string, string]>) => string;
}

const flat = (entries: Array<[string, string]>) => entries.flat();
const assigned = (entries: Array<[string, string]>, encode = (s: string) => s) => entries.map(([k, v]) => `${encode(k)}=${encode(v)}`);
const STYLE_CASES: StyleCase[] = [
  { in: "query", style: "form", explode: true, array: (a) => a.map((v) => `color=${enc(v)}`).join("&"), object: (e) => assigned(e, enc).join("&") },
  { in: "query", style: "form", explode: false, array: (a) => `color=${a.map(enc).join(",")}`, object: (e) => `color=${flat(e).map(enc).join(",")}` },
  {
    in: "query",
    style: "spaceDelimited",
    explode: false,
    array: (a) => `color=${a.map(enc).join("%20")}`,
    object: (e) => `color=${flat(e).map(enc).join("%20")}`,
  },
  {
    in: "query",
    style: "pipeDelimited",
    explode: false,
    array: (a) => `color=${a.map(enc).join("|")}`,
    object: (e) => `color=${flat(e).map(enc).join("%7C")}`,
  },
  { in: "query", style: "deepObject", explode: true, object: (e) => e.map(([k, v]) => `color%5B${enc(k)}%5D=${enc(v)}`).join("&") },
  { in: "path", style: "simple", explode: false, array: (a) => a.join(","), object: (e) => flat(e).join(",") },
  { in: "path", style: "simple", explode: true, array: (a) => a.join(","), object: (e) => assigned(e).join(",") },
  { in: "path", style: "label", explode: false, array: (a) => `.${a.join(",")}`, object: (e) => `.${flat(e).join(",")}` },
  { in: "path", style: "label", explode: true, array: (a) => `.${a.join(".")}`, object: (e) => `.${assigned(e).join(".")}` },
  { in: "path", style: "matrix", explode: false, array: (a) => `;color=${a.join(",")}`, object: (e) => `;color=${flat(e).join(",")}` },
  {
    in: "path",
    style: "matrix",
    explode: true,
    array: (a) => a.map((v) => `;color=${v}`).join(""),
    object: (e) =>
      assigned(e)
        .map((s) => `;${s}`)
        .join(""),
  },
  { in: "header", style: "simple", explode: false, ascii: true, array: (a) => a.join(","), object: (e) => flat(e).join(",") },
  { in: "header", style: "simple", explode: true, ascii: true, array: (a) => a.join(", "), object: (e) => assigned(e).join(", ") },
  { in: "cookie", style: "form", explode: false, array: (a) => `color=${a.map(enc).join(",")}`, object: (e) => `color=${flat(e).map(enc).join(",")}` },
  { in: "cookie", style: "form", explode: true, array: (a) => a.map((v) => `color=${enc(v)}`).join("; "), object: (e) => assigned(e, enc).join("; ") },
];

const withArrays = STYLE_CASES.filter((c) => c.array);
const withObjects = STYLE_CASES.filter((c) => c.object);
const caseName = (c: StyleCase) => `${c.in} ${c.style}${c.explode ? " explode" : ""}`;

describe("round trips through every style (fast-check)", () => {
  it("arrays of strings", () => {
    const arbitrary = fc
      .constantFrom(...withArrays)
      .chain((c) => fc.tuple(fc.constant(c), fc.array(text(c.ascii ? ASCII_UNITS : VALUE_UNITS), { minLength: 1, maxLength: 6 })));
    fc.assert(
      fc.property(arbitrary, ([c, items]) => {
        const read = readParameter(rule({ ...c, shape: "array", coerce: strings }), placed(c.in, c.array!(items)));
        expect(read, caseName(c)).toEqual({ present: true, value: items });
      }),
      { numRuns: 1000 },
    );
  });

  it("arrays of integers", () => {
    const integers = { types: ["array"], items: { types: ["integer"] } };
    const arbitrary = fc.tuple(
      fc.constantFrom(...withArrays),
      fc.array(
        fc.integer().map((n) => n || 0),
        { minLength: 1, maxLength: 6 },
      ),
    );
    fc.assert(
      fc.property(arbitrary, ([c, numbers]) => {
        const read = readParameter(rule({ ...c, shape: "array", coerce: integers }), placed(c.in, c.array!(numbers.map(String))));
        expect(read, caseName(c)).toEqual({ present: true, value: numbers });
      }),
      { numRuns: 1000 },
    );
  });

  it("objects of strings", () => {
    const entries = (units: string[]) => fc.uniqueArray(fc.tuple(text(KEY_UNITS), text(units)), { minLength: 1, maxLength: 5, selector: ([key]) => key });
    const arbitrary = fc.constantFrom(...withObjects).chain((c) => fc.tuple(fc.constant(c), entries(c.ascii ? ASCII_UNITS : VALUE_UNITS)));
    const free = { types: ["object"], additional: { types: ["string"] } };
    fc.assert(
      fc.property(arbitrary, ([c, pairs]) => {
        const read = readParameter(rule({ ...c, shape: "object", coerce: free }), placed(c.in, c.object!(pairs)));
        expect(read, caseName(c)).toEqual({ present: true, value: Object.fromEntries(pairs) });
      }),
      { numRuns: 1000 },
    );
  });
});
