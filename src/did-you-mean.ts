/**
 * @module
 * The "did you mean" of build errors: the known names nearest to a misspelt
 * one. Read at build time by the compiler and by built-ins' build steps.
 */

/** Edit distance (optimal string alignment: a swap of two neighbours counts one), case aside. */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known names nearest to a misspelt one: only those close enough to be a slip (a third of its letters at most). */
export function closest(name: string, known: string[]): string[] {
  const scored = known.map((candidate) => ({ candidate, by: distance(name, candidate) }));
  const best = Math.min(...scored.map(({ by }) => by));
  if (best > Math.max(1, Math.floor(name.length / 3))) return [];
  return scored.filter(({ by }) => by === best).map(({ candidate }) => candidate);
}

/** `Did you mean "a" or "b"? ` for the nearest known names, or "" when none is near. */
export function didYouMean(name: string, known: string[]): string {
  const near = closest(name, known);
  return near.length > 0 ? `Did you mean ${near.map((candidate) => `"${candidate}"`).join(" or ")}? ` : "";
}
