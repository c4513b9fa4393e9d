// The CIDR grammar as a pattern, so the build refuses a range the runtime could
// not read: IPv4 in dotted decimal without leading zeros, IPv6 as RFC 4291
// writes it (RFC 3986's grammar, `::` and a trailing IPv4 part included),
// each with an optional prefix length.
const octet = "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
const ipv4 = `${octet}(\\.${octet}){3}`;
const h16 = "[0-9A-Fa-f]{1,4}";
const ls32 = `(${h16}:${h16}|${ipv4})`;
const ipv6 = [
  `(${h16}:){6}${ls32}`,
  `::(${h16}:){5}${ls32}`,
  `(${h16})?::(${h16}:){4}${ls32}`,
  `((${h16}:){0,1}${h16})?::(${h16}:){3}${ls32}`,
  `((${h16}:){0,2}${h16})?::(${h16}:){2}${ls32}`,
  `((${h16}:){0,3}${h16})?::${h16}:${ls32}`,
  `((${h16}:){0,4}${h16})?::${ls32}`,
  `((${h16}:){0,5}${h16})?::${h16}`,
  `((${h16}:){0,6}${h16})?::`,
].join("|");

/** A bare IPv4 or IPv6 address, or one with a prefix length: `203.0.113.0/24`, `2001:db8::/32`. */
export const CIDR_PATTERN = `^(${ipv4}(/(3[0-2]|[12]?[0-9]))?|(${ipv6})(/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))?)$`;

const cidrList = (description: string) =>
  ({
    type: "array",
    description,
    items: { type: "string", pattern: CIDR_PATTERN },
    minItems: 1,
  }) as const;

/** Options of the `ip-filter` policy. */
export const options = {
  type: "object",
  properties: {
    allow: cidrList(
      "Addresses allowed to call, as CIDR ranges (`203.0.113.0/24`, `2001:db8::/32`) or bare addresses (a /32 or /128). With an allow list, every other address is refused, and so is a request whose address is unknown. IPv4-mapped IPv6 addresses (`::ffff:203.0.113.9`) count as their IPv4 address.",
    ),
    deny: cidrList("Addresses refused, in the same form. Deny wins: an address in both lists is refused."),
    message: {
      type: "string",
      description: "The `detail` of the 403 problem a refused caller gets.",
      minLength: 1,
      default: "Requests from this address are not allowed.",
    },
  },
  anyOf: [{ required: ["allow"] }, { required: ["deny"] }],
  additionalProperties: false,
} as const;
