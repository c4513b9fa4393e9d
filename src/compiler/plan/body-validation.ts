/**
 * @module
 * The body half of an operation's request validation: one rule per declared
 * media type, with its kind (JSON, form, multipart, text or bytes), its
 * validator, and how form and multipart fields are read.
 */
import { isJsonMediaType } from "../../handlers/mock/options.ts";
import type { BodyRule, MediaRule } from "../../policies/validate-request/body.ts";
import type { AtBuild } from "../../builtin-descriptor.ts";
import { BuildError, joinPointer } from "../errors.ts";
import type { FormLimits } from "../../policies/validate-request/form-tree.ts";
import { formBodyRule } from "./form-body.ts";
import { follow, requestValidatorAt, type ValidationContext, warnOnce } from "./validator-lookup.ts";

function kindOf(range: string): MediaRule["kind"] {
  if (isJsonMediaType(range)) return "json";
  if (range === "application/x-www-form-urlencoded") return "form";
  if (range === "multipart/form-data") return "multipart";
  if (range.startsWith("text/")) return "text";
  return "binary";
}

/** Ranges that take JSON, form and multipart bodies too, and would leave their schema unchecked. */
const CATCH_ALL_RANGES = new Set(["*/*", "application/*", "multipart/*"]);

/** A schema that only says "some bytes": nothing a range hides from the check. */
function describesBytes(schema: unknown): boolean {
  if (schema === true || (schema !== null && typeof schema === "object" && Object.keys(schema).length === 0)) return true;
  const { format, contentMediaType, contentEncoding } = (schema ?? {}) as Record<string, unknown>;
  return format === "binary" || format === "byte" || contentMediaType !== undefined || contentEncoding !== undefined;
}

export function planBody(ctx: ValidationContext, operation: Record<string, any>, pointer: string, limits: FormLimits): AtBuild<BodyRule> | undefined {
  if (operation.requestBody === undefined) return undefined;
  const { node, pointer: at } = follow(ctx.document, operation.requestBody, joinPointer(pointer, "requestBody"));
  const media: AtBuild<MediaRule>[] = [];
  for (const [range, object] of Object.entries<any>(node?.content ?? {})) {
    const type = range.split(";")[0].trim().toLowerCase();
    const kind = kindOf(type);
    const schemaPointer = joinPointer(at, "content", range, "schema");
    const schema = ctx.deref(object)?.schema;
    const rule: AtBuild<MediaRule> = { range: type, kind };
    if (schema !== undefined && kind !== "binary") rule.validator = requestValidatorAt(ctx, schemaPointer);
    if (schema !== undefined && kind === "binary" && CATCH_ALL_RANGES.has(type) && !describesBytes(ctx.deref(schema))) {
      warnOnce(
        ctx,
        schemaPointer,
        `This schema is not checked: Portico validates JSON, form, multipart and text bodies, and a body that falls under ${type} is passed on unread.`,
        "Declare the media type the schema describes (application/json, for one) instead of the range, or drop the schema.",
      );
    }
    if (schema !== undefined && (kind === "form" || kind === "multipart")) {
      const mediaPointer = joinPointer(at, "content", range);
      const read = formBodyRule({ kind, media: ctx.deref(object), pointer: mediaPointer, deref: ctx.deref, limits });
      Object.assign(rule, read.rule);
      for (const issue of read.errors) ctx.errors.push(new BuildError(ctx.sources.locate(issue.pointer), issue.message, issue.hint));
      for (const issue of read.warnings) warnOnce(ctx, issue.pointer, issue.message, issue.hint);
    }
    media.push(rule);
  }
  const reads = media.some((rule) => rule.kind === "form" || rule.kind === "multipart");
  return { required: node?.required === true, media, ...(reads ? { formLimits: limits } : {}) };
}
