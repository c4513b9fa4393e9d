/**
 * @module
 * IPv4 and IPv6 addresses as RFC 3986 writes them (§3.2.2): kept as regular
 * expression sources too, because URI authorities embed them and a mailbox's
 * address literal takes them whole.
 */

const HEX = "[0-9A-Fa-f]";
const DEC_OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const H16 = `${HEX}{1,4}`;

/** The source of an IPv4 address, to embed in larger grammars. */
export const IPV4 = `(?:${DEC_OCTET}\\.){3}${DEC_OCTET}`;

const LS32 = `(?:${H16}:${H16}|${IPV4})`;

/** The source of an IPv6 address (its nine forms, `::` anywhere), to embed in larger grammars. */
export const IPV6 = [
  `(?:${H16}:){6}${LS32}`,
  `::(?:${H16}:){5}${LS32}`,
  `(?:${H16})?::(?:${H16}:){4}${LS32}`,
  `(?:(?:${H16}:){0,1}${H16})?::(?:${H16}:){3}${LS32}`,
  `(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2}${LS32}`,
  `(?:(?:${H16}:){0,3}${H16})?::${H16}:${LS32}`,
  `(?:(?:${H16}:){0,4}${H16})?::${LS32}`,
  `(?:(?:${H16}:){0,5}${H16})?::${H16}`,
  `(?:(?:${H16}:){0,6}${H16})?::`,
].join("|");

export const ipv4Address = new RegExp(`^${IPV4}$`);
export const ipv6Address = new RegExp(`^(?:${IPV6})$`);
