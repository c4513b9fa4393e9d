/**
 * @module
 * Checks every example of the document against its schema with the
 * validators the gateway uses: a request example against the request copy of
 * the document, a response example against the response copy (readOnly and
 * writeOnly differ), a parameter's example as the gateway would read it from
 * a request. An example that breaks its schema misleads every client that
 * copies it, and the gateway itself then refuses what the document shows.
 */
import { coerce } from "../../policies/validate-request/coerce.ts";
import { BuildError, EXAMPLE_GROUP, NOTE_GROUP } from "../errors.ts";
import { exampleSites, type Direction, type ExampleSite } from "../spec/example-sites.ts";
import type { SourceSet } from "../spec/sources.ts";
import type { SchemaViolation, ValidatorSet } from "../validators/validator-set.ts";
import { describeViolation, fixOf } from "./example-fix.ts";
import { parameterRule } from "./parameter-rules.ts";

export interface ExampleReport {
  /** Examples checked (those whose schema compiles). */
  checked: number;
  /** One warning per example that breaks its schema, located at the example. */
  findings: BuildError[];
}

type Check = (value: unknown) => SchemaViolation[];

/** Parameter and header examples travel as text: the gateway reads them back into JSON types. */
function asSent(site: ExampleSite, deref: (value: unknown) => any): unknown {
  const { value, parameter } = site;
  if (!parameter || value === null || value === undefined) return value;
  let rule;
  try {
    rule = parameterRule(parameter, deref);
  } catch {
    return value;
  }
  if (!rule || rule.content === "json") return value;
  const text = (item: unknown) => (item !== null && typeof item === "object" ? item : String(item));
  if (Array.isArray(value)) return coerce(value.map(text) as string[], rule.coerce);
  if (typeof value === "object")
    return coerce(Object.fromEntries(Object.entries(value).map(([key, item]) => [key, text(item)])) as Record<string, string>, rule.coerce);
  return coerce(String(value), rule.coerce);
}

export function checkExamples(input: {
  document: Record<string, any>;
  deref: (value: unknown) => any;
  sources: SourceSet;
  validators: Record<"request" | "response", ValidatorSet>;
}): ExampleReport {
  const checks = new Map<string, Check | undefined>();
  const checkOf = (direction: "request" | "response", pointer: string): Check | undefined => {
    const key = `${direction} ${pointer}`;
    if (!checks.has(key)) {
      try {
        checks.set(key, input.validators[direction].check(pointer));
      } catch {
        // A schema that does not compile is reported where it is used to validate requests; its examples go unchecked.
        checks.set(key, undefined);
      }
    }
    return checks.get(key);
  };
  const directions = (direction: Direction): Array<"request" | "response"> => (direction === "either" ? ["request", "response"] : [direction]);

  const report: ExampleReport = { checked: 0, findings: [] };
  for (const site of exampleSites(input.document, input.deref)) {
    const value = asSent(site, input.deref);
    let violations: SchemaViolation[] | undefined;
    for (const direction of directions(site.direction)) {
      const check = checkOf(direction, site.schema);
      if (!check) continue;
      const found = check(value);
      // A schema under components serves both directions: meeting either is enough.
      violations = violations === undefined || found.length === 0 ? found : violations;
      if (found.length === 0) break;
    }
    if (violations === undefined) continue;
    report.checked++;
    if (violations.length === 0) continue;
    const first = violations[0];
    const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : "";
    const finding = new BuildError(
      input.sources.locate(site.pointer),
      `This example breaks its schema (${site.schema}): ${describeViolation(first)}${more}.`,
      fixOf(first),
      "warning",
    );
    report.findings.push(Object.assign(finding, { group: EXAMPLE_GROUP }));
  }
  return report;
}

/** What the build says about the document's examples, for the CLI's summary line. */
export interface ExampleSummary {
  checked: number;
  /** Examples that break their schema. */
  broken: number;
  /** Of those, how many a built-in does not serve (the mock answers with a generated value instead). */
  replaced: number;
}

const placeOf = (error: BuildError) => `${error.location.file}#${error.location.pointer}`;

/**
 * Adds the findings to the build's warnings (or, `strict`, its errors). A
 * built-in's note at the same place as a finding joins it: one warning per
 * example says both what is wrong and what the gateway does about it.
 */
export function settleExamples(report: ExampleReport, build: { warnings: BuildError[]; errors: BuildError[]; strict?: boolean }): ExampleSummary {
  const byPlace = new Map(report.findings.map((finding) => [placeOf(finding), finding]));
  const joined = new Map<string, string>();
  const rest: BuildError[] = [];
  const seen = new Set<string>();
  for (const warning of build.warnings) {
    if (warning.group !== NOTE_GROUP) rest.push(warning);
    else if (byPlace.has(placeOf(warning))) joined.set(placeOf(warning), warning.message);
    else if (!seen.has(`${placeOf(warning)} ${warning.message}`)) {
      seen.add(`${placeOf(warning)} ${warning.message}`);
      rest.push(warning);
    }
  }
  build.warnings.splice(0, build.warnings.length, ...rest);
  for (const finding of report.findings) {
    const note = joined.get(placeOf(finding));
    const message = note ? `${finding.message} ${note.replace(/, which breaks it:.*$/, ".")}` : finding.message;
    const settled = new BuildError(finding.location, message, finding.hint, build.strict ? "error" : "warning");
    settled.group = EXAMPLE_GROUP;
    (build.strict ? build.errors : build.warnings).push(settled);
  }
  return { checked: report.checked, broken: report.findings.length, replaced: joined.size };
}
