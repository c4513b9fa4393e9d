/**
 * @module
 * Who is connecting, and whether that address lies in a CIDR range.
 *
 * The parser is written here rather than taken from a package: policies need
 * only a strict parse and a prefix match, in a few dozen lines without Node
 * built-ins, and a strict parser refuses what a lenient one would guess at
 * (leading zeros, zone ids, short IPv4 forms such as `10.1`).
 */

/**
 * The address of the connecting client: `CF-Connecting-IP`, which the
 * Cloudflare edge sets from the connection itself and overwrites when a
 * client sends its own. X-Forwarded-For, X-Real-IP and True-Client-IP are
 * written by whoever sends the request, so they are never read.
 * Undefined when the header is absent (a test, or a call through a service binding).
 */
export function clientAddress(request: Request): string | undefined {
  return request.headers.get("cf-connecting-ip")?.trim() || undefined;
}

/** An address as a number, IPv4-mapped IPv6 (`::ffff:1.2.3.4`) folded into IPv4. */
export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

/** A CIDR range: the addresses whose first `prefix` bits equal those of `network`. */
export interface IpRange extends IpAddress {
  prefix: number;
}

const WIDTH = { 4: 32, 6: 128 } as const;
const MAPPED_PREFIX = 0xffffn;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseHextets(text: string): number[] | undefined {
  if (text === "") return [];
  const hextets: number[] = [];
  for (const part of text.split(":")) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
    hextets.push(parseInt(part, 16));
  }
  return hextets;
}

function parseIpv6(text: string): bigint | undefined {
  let rest = text;
  let tail: number[] = [];
  // An IPv4 address may stand for the last two hextets (`::ffff:192.0.2.1`).
  const lastColon = rest.lastIndexOf(":");
  if (rest.includes(".")) {
    const v4 = parseIpv4(rest.slice(lastColon + 1));
    if (v4 === undefined || lastColon < 0) return undefined;
    tail = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    rest = rest.slice(0, lastColon + 1);
    // Keep "::" whole when it directly precedes the IPv4 part; drop a single separator.
    if (rest.endsWith(":") && !rest.endsWith("::")) rest = rest.slice(0, -1);
  }
  const halves = rest.split("::");
  if (halves.length > 2) return undefined;
  const head = parseHextets(halves[0]);
  const after = halves.length === 2 ? parseHextets(halves[1]) : [];
  if (!head || !after) return undefined;
  const given = head.length + after.length + tail.length;
  let hextets: number[];
  if (halves.length === 2) {
    if (given > 7) return undefined;
    hextets = [...head, ...new Array<number>(8 - given).fill(0), ...after, ...tail];
  } else {
    if (given !== 8) return undefined;
    hextets = [...head, ...tail];
  }
  return hextets.reduce((value, hextet) => (value << 16n) | BigInt(hextet), 0n);
}

/** Parses a bare IPv4 or IPv6 address; undefined for anything else. Never throws. */
export function parseAddress(text: string): IpAddress | undefined {
  if (!text.includes(":")) {
    const value = parseIpv4(text);
    return value === undefined ? undefined : { family: 4, value };
  }
  const value = parseIpv6(text);
  if (value === undefined) return undefined;
  if (value >> 32n === MAPPED_PREFIX) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

/**
 * Parses `address/prefix`, or a bare address as a single-address range
 * (/32 or /128). Bits past the prefix are ignored, as in `10.0.0.1/8`.
 * An IPv4-mapped range (`::ffff:10.0.0.0/104`) becomes the IPv4 one (`10.0.0.0/8`).
 * Undefined for anything else; never throws.
 */
export function parseRange(text: string): IpRange | undefined {
  const slash = text.indexOf("/");
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  if (prefixText !== undefined && !/^(0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
  const isV6 = addressText.includes(":");
  const declaredWidth = isV6 ? 128 : 32;
  let prefix = prefixText === undefined ? declaredWidth : Number(prefixText);
  if (prefix > declaredWidth) return undefined;
  const address = parseAddress(addressText);
  if (!address) return undefined;
  if (isV6 && address.family === 4) {
    // A mapped range shorter than /96 spans more than the mapped block: keep it IPv6.
    if (prefix < 96) {
      return { family: 6, value: (MAPPED_PREFIX << 32n) | address.value, prefix };
    }
    prefix -= 96;
  }
  return { ...address, prefix };
}

/** Whether `address` lies in `range`. Addresses of the other family never do. */
export function inRange(address: IpAddress, range: IpRange): boolean {
  if (address.family !== range.family) return false;
  const shift = BigInt(WIDTH[range.family] - range.prefix);
  return address.value >> shift === range.value >> shift;
}

/**
 * The counting key of an address: IPv4 as is, IPv6 by its /64, since one
 * subscriber usually holds a whole /64 and could otherwise rotate through it.
 */
/**
 * The network an address lies in, as a counter key (`ip6:20010db80001::/48`,
 * `ip4:203.0.113.0/24`), for counting a whole block beside its addresses;
 * undefined for another family or no address.
 */
export function networkKey(text: string | undefined, family: 4 | 6, prefix: number): string | undefined {
  const parsed = text === undefined ? undefined : parseAddress(text);
  if (!parsed || parsed.family !== family) return undefined;
  const network = parsed.value >> BigInt(WIDTH[family] - prefix);
  if (family === 6) return `ip6:${network.toString(16)}::/${prefix}`;
  const base = network << BigInt(32 - prefix);
  return `ip4:${[24, 16, 8, 0].map((shift) => Number((base >> BigInt(shift)) & 0xffn)).join(".")}/${prefix}`;
}

export function addressKey(text: string | undefined): string {
  const parsed = text === undefined ? undefined : parseAddress(text);
  if (!parsed) return "unknown";
  if (parsed.family === 4) return [24, 16, 8, 0].map((shift) => Number((parsed.value >> BigInt(shift)) & 0xffn)).join(".");
  return `${(parsed.value >> 64n).toString(16).padStart(16, "0")}::/64`;
}
