/**
 * @module
 * Mailboxes, for the email and idn-email formats: RFC 5321's grammar, and RFC
 * 6531's with UTF-8 in the local part and the domain. ajv-formats' pattern
 * refuses quoted local parts and address literals, which RFC 5321 allows.
 */
import { hostName, IDN_SEPARATORS } from "./host-name.ts";
import { ipv4Address, ipv6Address } from "./ip-address.ts";

const LOCAL_PARTS = [false, true].map((international) => {
  const utf8 = international ? "\\u{80}-\\u{10FFFF}" : "";
  const atext = `A-Za-z0-9!#$%&'*+\\/=?^_\`{|}~\\-${utf8}`;
  return new RegExp(`^(?:[${atext}]+(?:\\.[${atext}]+)*|"(?:[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E${utf8}]|\\\\[\\x20-\\x7E])*")$`, "u");
});

/** Whether `address` is a mailbox; UTF-8 allowed when `international`. */
export function mailbox(address: string, international: boolean): boolean {
  const at = address.lastIndexOf("@");
  if (at < 1) return false;
  const [local, domain] = [address.slice(0, at), address.slice(at + 1)];
  // RFC 5321 §4.5.3.1.1: 64 octets.
  if (!LOCAL_PARTS[Number(international)].test(local) || new TextEncoder().encode(local).length > 64) return false;
  const literal = /^\[(.*)\]$/.exec(domain)?.[1];
  if (literal !== undefined) return ipv4Address.test(literal) || (literal.startsWith("IPv6:") && ipv6Address.test(literal.slice(5)));
  return international ? hostName(domain, IDN_SEPARATORS, true) : hostName(domain, /\./, false);
}
