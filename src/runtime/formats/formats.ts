/**
 * @module
 * The formats asserted as functions, by name, as Ajv takes them at build
 * time and the generated validators call them in the Worker: those
 * ajv-formats reads too loosely or lacks, and OpenAPI's own. ajv-formats'
 * other formats are regular expressions, which Ajv writes into the
 * generated code itself.
 */
import { date, dateTime, isoDateTime, isoTime, time } from "./date-time.ts";
import { duration } from "./duration.ts";
import { hostName, IDN_SEPARATORS } from "./host-name.ts";
import { mailbox } from "./mailbox.ts";
import { uriTemplate } from "./uri-template.ts";
import { iri, uri } from "./uri.ts";
import { url } from "./url.ts";

/** A format on numbers: Ajv applies only a format whose type matches the value's. */
interface NumberFormat {
  type: "number";
  validate: (value: number) => boolean;
}

const number = (validate: (value: number) => boolean): NumberFormat => ({ type: "number", validate });
const anyNumber = () => true;

function regex(value: string): boolean {
  try {
    return Boolean(new RegExp(value, "u"));
  } catch {
    return false;
  }
}

export const formats: Record<string, ((value: string) => boolean) | NumberFormat> = {
  date,
  time,
  "date-time": dateTime,
  "iso-time": isoTime,
  "iso-date-time": isoDateTime,
  duration,
  uri: (value: string) => uri.absolute.test(value),
  "uri-reference": (value: string) => uri.reference.test(value),
  iri: (value: string) => iri.absolute.test(value),
  "iri-reference": (value: string) => iri.reference.test(value),
  "uri-template": (value: string) => uriTemplate.test(value),
  url: (value: string) => url.test(value),
  email: (value: string) => mailbox(value, false),
  "idn-email": (value: string) => mailbox(value, true),
  hostname: (value: string) => hostName(value, /\./, false),
  "idn-hostname": (value: string) => hostName(value, IDN_SEPARATORS, true),
  uuid: (value: string) => /^[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}$/.test(value),
  regex,
  // OpenAPI's own formats.
  byte: (value: string) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value),
  int32: number((value) => Number.isInteger(value) && value >= -(2 ** 31) && value <= 2 ** 31 - 1),
  int64: number((value) => Number.isInteger(value)),
  float: number(anyNumber),
  double: number(anyNumber),
};
