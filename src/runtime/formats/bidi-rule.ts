/**
 * @module
 * RFC 5893's Bidi rule for internationalized host names: a name that mixes
 * directions can display as a different name, so once any label is
 * right-to-left, every label must keep to the rule. The bidirectional classes
 * are read from scripts and general categories, as no Unicode Bidi_Class
 * property escape exists in JavaScript regular expressions.
 */

const RIGHT_TO_LEFT =
  /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Imperial_Aramaic}\p{Script=Phoenician}\p{Script=Kharoshthi}\p{Script=Old_South_Arabian}\p{Script=Avestan}\p{Script=Inscriptional_Parthian}\p{Script=Inscriptional_Pahlavi}\p{Script=Psalter_Pahlavi}\p{Script=Old_Turkic}\p{Script=Manichaean}\p{Script=Nabataean}\p{Script=Palmyrene}\p{Script=Hatran}\p{Script=Old_Hungarian}\p{Script=Sogdian}\p{Script=Old_Sogdian}\p{Script=Elymaic}\p{Script=Chorasmian}\p{Script=Yezidi}\p{Script=Mende_Kikakui}\p{Script=Lydian}\p{Script=Cypriot}]/u;

type BidiClass = "L" | "R" | "AN" | "EN" | "NSM" | "ES" | "BN" | "ON";

function bidiClass(c: string): BidiClass {
  if (/[\u0600-\u0605\u0660-\u0669\u066B\u066C\u06DD\u0890\u0891\u08E2\u{10D30}-\u{10D39}\u{10E60}-\u{10E7E}]/u.test(c)) return "AN";
  if (/[0-9\u00B2\u00B3\u00B9\u06F0-\u06F9\u2070-\u2079\u2080-\u2089\uFF10-\uFF19]/.test(c)) return "EN";
  if (/[\p{Mn}\p{Me}]/u.test(c)) return "NSM";
  if (RIGHT_TO_LEFT.test(c)) return "R";
  if (c === "-") return "ES";
  if (/\p{Cf}/u.test(c)) return "BN";
  return /[\p{L}\p{Mc}\p{N}]/u.test(c) ? "L" : "ON";
}

/** Whether the labels (U-labels, or ASCII) of one domain name obey the Bidi rule. */
export function bidiRule(labels: string[]): boolean {
  const classes = labels.map((label) => Array.from(label, bidiClass));
  if (!classes.some((list) => list.some((c) => c === "R" || c === "AN"))) return true;
  return classes.every((list) => {
    const last = list.findLast((c) => c !== "NSM");
    if (list[0] === "R") return list.every((c) => c !== "L") && ["R", "EN", "AN"].includes(last!) && !(list.includes("EN") && list.includes("AN"));
    return list[0] === "L" && list.every((c) => c !== "R" && c !== "AN") && (last === "L" || last === "EN");
  });
}
