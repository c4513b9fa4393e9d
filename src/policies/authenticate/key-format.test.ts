import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  API_KEY_BODY_LENGTH,
  API_KEY_LENGTH,
  API_KEY_PREFIX,
  BASE62,
  apiKeyFromBody,
  apiKeyHash,
  apiKeyPreview,
  consumerStorageKey,
  generateApiKey,
  isConsumerRecordActive,
  isWellFormedApiKey,
  parseConsumerRecord,
  swapAdjacent,
} from "./key-format.ts";

const body = fc.string({ unit: fc.constantFrom(...BASE62), minLength: API_KEY_BODY_LENGTH, maxLength: API_KEY_BODY_LENGTH });

/** Every key that differs from `key` in one character, to any character a user could type. */
function substitutions(key: string): string[] {
  const typeable = BASE62 + "_-.+/=";
  const variants: string[] = [];
  for (let i = 0; i < key.length; i++) {
    for (const replacement of typeable) {
      if (replacement !== key[i]) variants.push(key.slice(0, i) + replacement + key.slice(i + 1));
    }
  }
  return variants;
}

function transpositions(key: string): string[] {
  const variants: string[] = [];
  for (let i = 0; i + 1 < key.length; i++) if (key[i] !== key[i + 1]) variants.push(swapAdjacent(key, i));
  return variants;
}

describe("API keys", () => {
  it("are well-formed, of fixed length and distinct over 10,000", () => {
    const keys = Array.from({ length: 10_000 }, generateApiKey);
    for (const key of keys) {
      expect(key).toMatch(/^ptk_[0-9A-Za-z]{36}$/);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("carry at least 128 random bits: 30 positions, each using all 62 characters", () => {
    const keys = Array.from({ length: 10_000 }, generateApiKey);
    const seen = Array.from({ length: API_KEY_BODY_LENGTH }, () => new Set<string>());
    for (const key of keys) {
      for (let i = 0; i < API_KEY_BODY_LENGTH; i++) seen[i].add(key[API_KEY_PREFIX.length + i]);
    }
    // About 161 draws of each character per position: a missing one means a narrower alphabet.
    const bits = seen.reduce((sum, characters) => sum + Math.log2(characters.size), 0);
    expect(seen.every((characters) => characters.size === 62)).toBe(true);
    expect(bits).toBeGreaterThanOrEqual(128);
    expect(API_KEY_LENGTH).toBe(40);
  });

  it("reject every single-character substitution and adjacent transposition", () => {
    fc.assert(
      fc.property(body, (random) => {
        const key = apiKeyFromBody(random);
        expect(isWellFormedApiKey(key)).toBe(true);
        for (const variant of [...substitutions(key), ...transpositions(key)]) {
          if (isWellFormedApiKey(variant)) throw new Error(`${variant} passes as well as ${key}`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("reject any typo of a generated key, at any position", () => {
    fc.assert(
      fc.property(fc.nat({ max: API_KEY_LENGTH - 1 }), fc.constantFrom(...BASE62), (position, replacement) => {
        const key = generateApiKey();
        fc.pre(key[position] !== replacement);
        expect(isWellFormedApiKey(key.slice(0, position) + replacement + key.slice(position + 1))).toBe(false);
        fc.pre(position + 1 < API_KEY_LENGTH && key[position] !== key[position + 1]);
        expect(isWellFormedApiKey(swapAdjacent(key, position))).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it("reject other prefixes, lengths and inputs without throwing", () => {
    const key = generateApiKey();
    for (const input of ["", "ptk_", key + "0", key.slice(0, -1), "ghp_" + key.slice(4), key.toUpperCase(), ` ${key.slice(1)}`, "ptk_" + "é".repeat(36)]) {
      expect(isWellFormedApiKey(input)).toBe(false);
    }
    expect(isWellFormedApiKey(undefined as unknown as string)).toBe(false);
    expect(isWellFormedApiKey("x".repeat(1_000_000))).toBe(false);
  });

  it("show only the prefix and 4 characters", () => {
    const key = generateApiKey();
    expect(apiKeyPreview(key)).toBe(key.slice(0, 8));
    expect(apiKeyPreview(key)).toMatch(/^ptk_[0-9A-Za-z]{4}$/);
  });
});

describe("storage", () => {
  it("keys consumers by the lowercase hex SHA-256 of the key", async () => {
    expect(await apiKeyHash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const key = generateApiKey();
    const hash = await apiKeyHash(key);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(consumerStorageKey(hash)).toBe(`key:${hash}`);
    expect(consumerStorageKey(hash)).not.toContain(key.slice(4));
  });

  const record = {
    id: "acme",
    name: "Acme Corp",
    tier: "gold",
    scopes: ["exhibits:read"],
    metadata: { plan: "pro" },
    expiresAt: "2030-01-01T00:00:00.000Z",
    keyPreview: "ptk_Ab3x",
    createdAt: "2026-11-26T10:00:00.000Z",
  };

  it("reads back a stored record, as a value or as JSON text", () => {
    expect(parseConsumerRecord(record)).toEqual({ ...record, disabled: false });
    expect(parseConsumerRecord(JSON.stringify(record))).toEqual({ ...record, disabled: false });
    const { tier, expiresAt, ...minimal } = record;
    expect(parseConsumerRecord(minimal)).toEqual({ ...minimal, expiresAt: null, disabled: false });
  });

  it("treats a malformed record as no consumer", () => {
    const malformed: unknown[] = [
      null,
      "not json",
      [record],
      { ...record, id: "" },
      { ...record, id: 7 },
      { ...record, scopes: "exhibits:read" },
      { ...record, scopes: [1] },
      { ...record, metadata: [] },
      { ...record, metadata: undefined },
      { ...record, expiresAt: "soon" },
      { ...record, disabled: "no" },
      { ...record, tier: 3 },
      { ...record, keyPreview: undefined },
      { ...record, createdAt: "yesterday" },
    ];
    for (const value of malformed) expect(parseConsumerRecord(value)).toBeUndefined();
  });

  it("says a disabled or expired record is not active", () => {
    const parsed = parseConsumerRecord(record)!;
    const expiry = Date.parse(record.expiresAt);
    expect(isConsumerRecordActive(parsed, expiry - 1)).toBe(true);
    expect(isConsumerRecordActive(parsed, expiry)).toBe(false);
    expect(isConsumerRecordActive({ ...parsed, expiresAt: null }, expiry + 1)).toBe(true);
    expect(isConsumerRecordActive({ ...parsed, disabled: true }, expiry - 1)).toBe(false);
  });
});
