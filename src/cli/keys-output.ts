/**
 * @module
 * What `portico keys` prints, the same whichever way it reached the keys
 * (wrangler's KV commands, or a gateway's admin routes with --gateway): a new
 * key once, the listing as a table, the revoked keys in a line, or JSON.
 */
import { isConsumerRecordActive, type ConsumerListing, type ConsumerRecord } from "../policies/authenticate/key-format.ts";
import { paintOut, table } from "./style.ts";

export const shortTime = (iso: string | null | undefined) => (iso ? iso.replace(/\.\d{3}Z$/, "Z") : "never");

export const statusOf = (listing: ConsumerListing) => (listing.disabled ? "disabled" : isConsumerRecordActive(listing) ? "active" : "expired");

export function showOnce(heading: string, key: string, record: ConsumerRecord, after: string): void {
  const expiry = record.expiresAt ? `It expires at ${shortTime(record.expiresAt)}.` : "It does not expire.";
  console.log(`${heading}\n\n  ${paintOut("green", key)}\n\nCopy it now: it is not shown again, and only its SHA-256 is stored. ${expiry}${after}`);
}

/** What a rotation did to the old keys, for the lines after the new key. */
export function previousLines(previous: Array<{ keyPreview: string; expiresAt: string | null; revoked: boolean }>): string {
  return previous
    .map((p) => (p.revoked ? `\nThe old key ${p.keyPreview}… is revoked.` : `\nThe old key ${p.keyPreview}… works until ${shortTime(p.expiresAt)}.`))
    .join("");
}

/** The listings (undefined: a record that cannot be read) as a table or JSON; `where` names the store. */
export function printListing(listed: Array<ConsumerListing | undefined>, consumer: string | undefined, where: string, json: boolean): void {
  if (json) {
    console.log(
      JSON.stringify(
        listed.map((listing) => (listing ? { ...listing, status: statusOf(listing) } : { status: "unreadable" })),
        null,
        2,
      ),
    );
  } else if (listed.length === 0) {
    console.log(`No API keys${consumer ? ` for consumer "${consumer}"` : ""} in ${where}.`);
  } else {
    const header = ["KEY", "CONSUMER", "NAME", "TIER", "SCOPES", "EXPIRES", "STATUS"];
    const rows = listed.map((l) =>
      l
        ? [
            `${l.keyPreview}…`,
            l.id,
            l.name.length > 30 ? `${l.name.slice(0, 29)}…` : l.name,
            l.tier ?? "-",
            l.scopes.join(",") || "-",
            shortTime(l.expiresAt),
            statusOf(l),
          ]
        : ["?", "?", "(no listing)", "-", "-", "-", "unreadable"],
    );
    console.log(table([header, ...rows]));
  }
}

export function printRevoked(revoked: Array<{ keyPreview: string; consumer: string }>, where: string, json: boolean): void {
  if (json) console.log(JSON.stringify({ revoked }, null, 2));
  else console.log(`Revoked ${revoked.length} key(s) in ${where}: ${revoked.map((r) => `${r.keyPreview}… (${r.consumer})`).join(", ")}.`);
}
