/**
 * @module
 * The grammars of the URI formats, for the generated validators: RFC 3986's
 * URIs, RFC 3987's IRIs and RFC 6570's URI templates, and the IPv4 and IPv6
 * addresses that a mailbox's address literal also takes.
 *
 * The generated module holds `uriGrammars` as its source text (see
 * formats.ts), so it uses nothing from outside its own body.
 */

export function uriGrammars() {
  // RFC 3986 (URI) and RFC 3987 (IRI, with `ucs`) grammars, as regular expressions.
  const hex = "[0-9A-Fa-f]";
  const pct = `%${hex}{2}`;
  const decOctet = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  const ipv4 = `(?:${decOctet}\\.){3}${decOctet}`;
  const h16 = `${hex}{1,4}`;
  const ls32 = `(?:${h16}:${h16}|${ipv4})`;
  const ipv6 = [
    `(?:${h16}:){6}${ls32}`,
    `::(?:${h16}:){5}${ls32}`,
    `(?:${h16})?::(?:${h16}:){4}${ls32}`,
    `(?:(?:${h16}:){0,1}${h16})?::(?:${h16}:){3}${ls32}`,
    `(?:(?:${h16}:){0,2}${h16})?::(?:${h16}:){2}${ls32}`,
    `(?:(?:${h16}:){0,3}${h16})?::${h16}:${ls32}`,
    `(?:(?:${h16}:){0,4}${h16})?::${ls32}`,
    `(?:(?:${h16}:){0,5}${h16})?::${h16}`,
    `(?:(?:${h16}:){0,6}${h16})?::`,
  ].join("|");
  const ucs = "\\u{A0}-\\u{D7FF}\\u{F900}-\\u{FDCF}\\u{FDF0}-\\u{FFEF}\\u{10000}-\\u{1FFFD}\\u{20000}-\\u{2FFFD}\\u{30000}-\\u{3FFFD}\\u{40000}-\\u{4FFFD}\\u{50000}-\\u{5FFFD}\\u{60000}-\\u{6FFFD}\\u{70000}-\\u{7FFFD}\\u{80000}-\\u{8FFFD}\\u{90000}-\\u{9FFFD}\\u{A0000}-\\u{AFFFD}\\u{B0000}-\\u{BFFFD}\\u{C0000}-\\u{CFFFD}\\u{D0000}-\\u{DFFFD}\\u{E1000}-\\u{EFFFD}";
  const privateUse = "\\u{E000}-\\u{F8FF}\\u{F0000}-\\u{FFFFD}\\u{100000}-\\u{10FFFD}";

  function uriGrammar(international: boolean) {
    const unreserved = `A-Za-z0-9\\-._~${international ? ucs : ""}`;
    const sub = "!$&'()*+,;=";
    const pchar = `(?:[${unreserved}${sub}:@]|${pct})`;
    const segment = `${pchar}*`;
    const authority = `(?:(?:[${unreserved}${sub}:]|${pct})*@)?(?:\\[(?:${ipv6}|[vV]${hex}+\\.[${unreserved}${sub}:]+)\\]|(?:[${unreserved}${sub}]|${pct})*)(?::\\d*)?`;
    const pathAbsolute = `/(?:${pchar}+(?:/${segment})*)?`;
    const tail = `(?:\\?(?:${pchar}|[/?${international ? privateUse : ""}])*)?(?:#(?:${pchar}|[/?])*)?`;
    const scheme = "[A-Za-z][A-Za-z0-9+.\\-]*";
    const absolute = `${scheme}:(?://${authority}(?:/${segment})*|${pathAbsolute}|${pchar}+(?:/${segment})*|)`;
    const relative = `(?://${authority}(?:/${segment})*|${pathAbsolute}|(?:[${unreserved}${sub}@]|${pct})+(?:/${segment})*|)`;
    return { absolute: new RegExp(`^${absolute}${tail}$`, "u"), reference: new RegExp(`^(?:${absolute}|${relative})${tail}$`, "u") };
  }
  const uri = uriGrammar(false);
  const iri = uriGrammar(true);
  const ipv4Address = new RegExp(`^${ipv4}$`);
  const ipv6Address = new RegExp(`^(?:${ipv6})$`);

  const literal = `(?:[\\x21\\x23\\x24\\x26-\\x3B\\x3D\\x3F-\\x5B\\x5D\\x5F\\x61-\\x7A\\x7E${ucs}${privateUse}]|${pct})`;
  const varspec = `(?:[A-Za-z0-9_]|${pct})(?:\\.?(?:[A-Za-z0-9_]|${pct}))*(?::[1-9]\\d{0,3}|\\*)?`;
  const uriTemplate = new RegExp(`^(?:${literal}|\\{[+#./;?&=,!@|]?${varspec}(?:,${varspec})*\\})*$`, "u");

  return { uri, iri, uriTemplate, ipv4Address, ipv6Address };
}
