/**
 * @module
 * Text made safe to put into HTML, between tags or in a quoted attribute:
 * the portal's pages, written at build time, and the pages the Worker
 * answers itself (sign-in, "My keys", the portal's 404) use this one.
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}
