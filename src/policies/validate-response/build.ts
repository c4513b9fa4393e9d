import { describeBuiltin, type AtBuild, type BuildOperation, type CodeRef } from "../../builtin-descriptor.ts";
import { options, type ResponseRules, type ValidateResponseOptions } from "./options.ts";

const escape = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");

/** Each declared status's media types, a JSON one with a schema getting that schema's validator. */
function responseRules(input: BuildOperation): AtBuild<ResponseRules> {
  const responses: AtBuild<ResponseRules>["responses"] = {};
  for (const [status, raw] of Object.entries<any>(input.operation.responses ?? {})) {
    const { node, pointer } = input.follow(raw, `${input.pointer}/responses/${escape(status)}`);
    const media: Record<string, CodeRef | null> = {};
    for (const [range, object] of Object.entries<any>(node?.content ?? {})) {
      const type = range.split(";")[0].trim().toLowerCase();
      const hasSchema = input.deref(object)?.schema !== undefined;
      media[type] = hasSchema && /[/+]json\b/.test(type) ? (input.responseValidatorAt(`${pointer}/content/${escape(range)}/schema`) ?? null) : null;
    }
    responses[status.toUpperCase()] = media;
  }
  return { responses };
}

export default describeBuiltin<ValidateResponseOptions, ResponseRules>({
  name: "validate-response",
  kind: "policy",
  summary: "Checks the upstream's answer against the operation's declared responses: logs a broken contract, or replaces it with a 502.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["outbound"],
  perOperation: true,
  prepare: (_use, { operation }) => ({ prepared: responseRules(operation!) }),
});
