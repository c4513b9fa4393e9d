/**
 * @module
 * validate-response: checks what the upstream answered against the
 * operation's declared responses (status, media type, JSON schema). In `log`
 * mode a broken contract is logged; in `enforce` mode the client gets a 502
 * problem instead of it.
 */
import { definePolicy } from "../../index.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import { parseJson } from "../validate-request/json-guard.ts";
import { validate, type Validator } from "../validate-request/violations.ts";
import { options, type ResponseRules } from "./options.ts";

type Prepared = ResponseRules & { validators: Record<string, Validator> };

/** The declared response for a status: exact, then its range (2XX), then default. */
function declared(rules: ResponseRules["responses"], status: number) {
  return rules[String(status)] ?? rules[`${String(status)[0]}XX`] ?? rules.DEFAULT;
}

async function problems(response: Response, prepared: Prepared, maxBodyBytes: number): Promise<string[] | undefined> {
  const media = declared(prepared.responses, response.status);
  if (!media) return [`status ${response.status} is not declared`];
  const type = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const ranges = Object.keys(media);
  if (ranges.length === 0) return undefined; // a response without content declared: nothing to check
  const range = ranges.find((r) => r === type) ?? ranges.find((r) => r === `${type.split("/")[0]}/*`) ?? ranges.find((r) => r === "*/*");
  if (!range) return [`media type ${type || "(none)"} is not declared for status ${response.status}`];
  const validator = media[range];
  if (!validator) return undefined;
  const length = Number(response.headers.get("content-length") ?? 0);
  if (length > maxBodyBytes) return undefined;
  const text = await response.clone().text();
  if (text.length > maxBodyBytes) return undefined;
  const parsed = parseJson(text);
  if ("error" in parsed) return [parsed.error];
  const violations = validate(prepared.validators[validator], parsed.value, { in: "body" });
  return violations.length > 0 ? violations.map((v) => `${v.pointer || "/"} ${v.message}`) : undefined;
}

export const validateResponse = definePolicy({
  options,
  async outbound(response, _request, ctx, settings) {
    const prepared = settings as unknown as Prepared;
    const found = await problems(response, prepared, settings.maxBodyBytes ?? 1048576);
    if (!found) return response;
    ctx.log.warn("response breaks the API description", { status: response.status, problems: found.slice(0, 20) });
    if ((settings.mode ?? "log") === "log") return response;
    await response.body?.cancel();
    throw new GatewayError(PROBLEM.badGateway, "The upstream's response does not match the API description.");
  },
});
