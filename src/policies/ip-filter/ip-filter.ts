/**
 * @module
 * ip-filter: admits or refuses a request by the address of the connecting
 * client (CF-Connecting-IP, never a header the caller writes), against CIDR
 * allow and deny lists.
 */
import type { FromSchema } from "json-schema-to-ts";
import { defineBuiltin } from "../../runtime/builtin.ts";
import { clientAddress, inRange, parseAddress, parseRange, type IpRange } from "../../runtime/client-address.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import type { options } from "./options.ts";

/** Ranges, and the entries that do not parse: the build refuses those, so only a hand-made route table has any. */
function rangesOf(settings: FromSchema<typeof options>) {
  const broken: string[] = [];
  const parse = (list: readonly string[]) =>
    list.flatMap((entry) => {
      const range = parseRange(entry);
      if (!range) broken.push(entry);
      return range ? [range] : [];
    });
  const allow: IpRange[] | undefined = settings.allow && parse(settings.allow);
  return { allow, deny: parse(settings.deny ?? []), broken };
}

export const ipFilter = defineBuiltin<FromSchema<typeof options>>({
  create({ options: settings }) {
    const { allow, deny, broken } = rangesOf(settings);
    const { message } = settings;
    const refuse = () => new GatewayError(PROBLEM.forbidden, message);
    return {
      inbound(request, ctx) {
        if (broken.length > 0) {
          // A range that cannot be read might have been meant to refuse this caller.
          ctx.log.error("ip-filter has ranges it cannot read; refusing every request", { ranges: broken });
          throw refuse();
        }
        const text = clientAddress(request);
        const address = text === undefined ? undefined : parseAddress(text);
        if (!address) {
          if (!allow) return request;
          ctx.log.warn("ip-filter refused a request without a usable client address", { address: text ?? null });
          throw refuse();
        }
        if (deny.some((range) => inRange(address, range))) throw refuse();
        if (allow && !allow.some((range) => inRange(address, range))) throw refuse();
        return request;
      },
    };
  },
});
