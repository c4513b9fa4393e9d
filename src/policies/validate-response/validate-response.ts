/**
 * @module
 * validate-response: checks what the upstream answered against the
 * operation's declared responses (status, media type, JSON schema). In `log`
 * mode a broken contract is logged; in `enforce` mode the client gets a 502
 * problem instead of it.
 */
import { defineBuiltin } from "../../runtime/builtin.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import { parseJson } from "../../runtime/validation/json-guard.ts";
import { validate } from "../../runtime/validation/violations.ts";
import type { ResponseRules, ValidateResponseOptions } from "./options.ts";
import { readBounded } from "../../runtime/read-bounded.ts";

/** The declared response for a status: exact, then its range (2XX), then default. */
function declared(rules: ResponseRules["responses"], status: number) {
  return rules[String(status)] ?? rules[`${String(status)[0]}XX`] ?? rules.DEFAULT;
}

/** Statuses whose responses never have content (RFC 9110 §15.3.5, §15.3.6, §15.4.5). */
const NO_CONTENT = new Set([204, 205, 304]);

/** Why a response was not checked; what it breaks; or undefined when it keeps the contract. */
type Finding = { problems: string[] } | { unchecked: string } | undefined;

async function findings(response: Response, request: Request, prepared: ResponseRules, maxBodyBytes: number): Promise<Finding> {
  const media = declared(prepared.responses, response.status);
  if (!media) return { problems: [`status ${response.status} is not declared`] };
  if (NO_CONTENT.has(response.status)) return undefined;
  const type = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const ranges = Object.keys(media);
  if (ranges.length === 0) return undefined; // a response without content declared: nothing to check
  const range = ranges.find((r) => r === type) ?? ranges.find((r) => r === `${type.split("/")[0]}/*`) ?? ranges.find((r) => r === "*/*");
  if (!range) return { problems: [`media type ${type || "(none)"} is not declared for status ${response.status}`] };
  const validator = media[range];
  // The answer to HEAD carries the headers of the GET, never its body.
  if (!validator || request.method === "HEAD") return undefined;
  const length = Number(response.headers.get("content-length") ?? 0);
  const tooLarge = { unchecked: `the body is larger than maxBodyBytes (${maxBodyBytes} bytes)` };
  if (length > maxBodyBytes) return tooLarge;
  const bytes = await readBounded(response.clone().body, maxBodyBytes);
  if (!bytes) return tooLarge;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { problems: ["the body is not valid UTF-8"] };
  }
  const parsed = parseJson(text);
  if ("error" in parsed) return { problems: [parsed.error] };
  const violations = validate(validator, parsed.value, { in: "body" });
  return violations.length > 0 ? { problems: violations.map((v) => `${v.pointer || "/"} ${v.message}`) } : undefined;
}

export const validateResponse = defineBuiltin<ValidateResponseOptions, ResponseRules>({
  create({ options: { mode, maxBodyBytes }, prepared }) {
    return {
      async outbound(response, request, ctx) {
        const found = await findings(response, request, prepared, maxBodyBytes);
        if (!found) return response;
        if ("unchecked" in found) {
          ctx.log.info("response too large to check", { status: response.status, reason: found.unchecked });
          return response;
        }
        ctx.log.warn("response breaks the API description", { status: response.status, problems: found.problems.slice(0, 20) });
        if (mode !== "enforce") return response;
        await response.body?.cancel();
        throw new GatewayError(PROBLEM.badGateway, "The upstream's response does not match the API description.");
      },
    };
  },
});
