/**
 * The groups of the security catalogue (shared/SECURITY.md), by the letter of
 * a case's id: a case's title starts with its id ("A1: alg none → 401"), and
 * the table counts cases per group. Q (quotas), G (edge policies) and M
 * (multipart bodies) are the suite's own additions to the catalogue.
 */
export const GROUPS = [
  { name: "A. Authentication", prefixes: ["A"] },
  { name: "B. Rate limits and quotas", prefixes: ["R", "Q"] },
  { name: "C. Validation and bad input", prefixes: ["V", "M"] },
  { name: "D. Proxying", prefixes: ["P"] },
  { name: "E. Caching", prefixes: ["C"] },
  { name: "F. Faults", prefixes: ["F"] },
  { name: "G. Edge policies", prefixes: ["G"] },
] as const;

export const OTHER = "Other (no catalogue id)";

/** The catalogue id a title starts with ("A12" of "A12: …"), or undefined. */
export function caseIdOf(title: string): string | undefined {
  return /^([A-Z]\d+)[a-z]?:/.exec(title)?.[1];
}

/** The group of a catalogue id. */
export function groupOf(id: string | undefined): string {
  const prefix = id?.replace(/\d+$/, "");
  return GROUPS.find((group) => (group.prefixes as readonly string[]).includes(prefix ?? ""))?.name ?? OTHER;
}
