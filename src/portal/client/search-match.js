// Matching and ranking for the portal's search box, apart from the DOM so Node can test it.

// Where a word is found counts by field: a name (operationId, schema), a title (summary) or a
// path says what the page is; its description only mentions it.
const FIELDS = [
  ["id", 8],
  ["title", 6],
  ["route", 5],
  ["text", 1],
];
// A whole field equal to the word, or starting with it, counts more than the word inside it.
const EXACT = 3;
const PREFIX = 2;
const KIND_ORDER = { operation: 0, schema: 1, guide: 2 };

/**
 * Entries where every word of the query appears in the name, title, method and path or text,
 * case-insensitively, best first: the words in names and titles before those in descriptions,
 * the whole query as a name or title first of all. At most `limit` of them.
 */
export function matchSearchIndex(entries, query, limit = 20) {
  const words = String(query)
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== "");
  if (words.length === 0) return [];
  const phrase = words.join(" ");
  const scored = [];
  entries.forEach((entry, at) => {
    const fields = FIELDS.map(([name, weight]) => [fieldText(entry, name), weight]).filter(([text]) => text !== "");
    let score = 0;
    for (const word of words) {
      let best = 0;
      for (const [text, weight] of fields) best = Math.max(best, weight * strength(text, word));
      if (best === 0) return;
      score += best;
    }
    if (fields.some(([text, weight]) => weight > 1 && text === phrase)) score += 100;
    scored.push({ entry, score, at });
  });
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      (KIND_ORDER[a.entry.kind] ?? 3) - (KIND_ORDER[b.entry.kind] ?? 3) ||
      String(a.entry.title).length - String(b.entry.title).length ||
      a.at - b.at,
  );
  return scored.slice(0, limit).map(({ entry }) => entry);
}

function fieldText(entry, name) {
  if (name === "route") return entry.path || entry.method ? `${entry.method ?? ""} ${entry.path ?? ""}`.trim().toLowerCase() : "";
  return typeof entry[name] === "string" ? entry[name].toLowerCase() : "";
}

function strength(text, word) {
  if (text === word) return EXACT;
  const at = text.indexOf(word);
  if (at < 0) return 0;
  // At the start of the field or of a word in it (`customers` in `/v1/customers`, `list` in `List all`).
  return at === 0 || !/[a-z0-9]/.test(text[at - 1]) ? PREFIX : 1;
}
