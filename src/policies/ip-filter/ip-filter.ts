/**
 * @module
 * ip-filter: admits or refuses a request by the address of the connecting
 * client (CF-Connecting-IP, never a header the caller writes), against CIDR
 * allow and deny lists.
 */
import { definePolicy } from "../../index.ts";
import { clientAddress, inRange, parseAddress, parseRange, type IpRange } from "../../runtime/client-address.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import { options } from "./options.ts";

interface Ranges {
  allow?: IpRange[];
  deny: IpRange[];
  /** Entries that do not parse: the build refuses them, so only a hand-made route table has any. */
  broken: string[];
}

const compiled = new WeakMap<object, Ranges>();

function rangesOf(settings: { allow?: readonly string[]; deny?: readonly string[] }): Ranges {
  let ranges = compiled.get(settings);
  if (!ranges) {
    const broken: string[] = [];
    const parse = (list: readonly string[]) =>
      list.flatMap((entry) => {
        const range = parseRange(entry);
        if (!range) broken.push(entry);
        return range ? [range] : [];
      });
    ranges = { allow: settings.allow && parse(settings.allow), deny: parse(settings.deny ?? []), broken };
    compiled.set(settings, ranges);
  }
  return ranges;
}

export const ipFilter = definePolicy({
  options,
  inbound(request, ctx, settings) {
    const { allow, deny, broken } = rangesOf(settings);
    const refuse = () => new GatewayError(PROBLEM.forbidden, settings.message ?? options.properties.message.default);
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
});
