// Matching for the portal's search box, apart from the DOM so Node can test it.

/**
 * Entries where every word of the query appears in the title or the text,
 * case-insensitively, title matches first, at most `limit` of them.
 */
export function matchSearchIndex(entries, query, limit = 20) {
  const words = String(query)
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== "");
  if (words.length === 0) return [];
  const inTitle = [];
  const inText = [];
  for (const entry of entries) {
    const title = String(entry.title).toLowerCase();
    const haystack = `${title} ${String(entry.text).toLowerCase()}`;
    if (!words.every((word) => haystack.includes(word))) continue;
    // A reader typing a name wants that page first, not every page mentioning it.
    (words.every((word) => title.includes(word)) ? inTitle : inText).push(entry);
    if (inTitle.length >= limit) break;
  }
  return [...inTitle, ...inText].slice(0, limit);
}
