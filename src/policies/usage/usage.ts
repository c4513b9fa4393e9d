/**
 * @module
 * usage: records one data point per response of the operations it is on
 * (consumer, tier, operation, status, latency, bytes each way, and the LLM
 * tokens an llm answer cost, once it ends), in the store
 * its binding turns out to be at run time (stores.ts). It runs as a finish
 * step, on every response alike, and neither throws nor waits: the response
 * leaves as it came, and whatever recording costs happens after it.
 */
import { defineBuiltin } from "../../runtime/builtin.ts";
import { describeError } from "../../runtime/log.ts";
import { afterTokenCount } from "../../handlers/llm/usage.ts";
import { answerReport } from "./admin.ts";
import type { UsageOptions } from "./options.ts";
import { pointOf } from "./point.ts";
import { storeOf } from "./stores.ts";

export const usage = defineBuiltin<UsageOptions>({
  create({ options: { binding }, env }) {
    const store = storeOf(env, binding);
    return {
      finish(response, request, ctx) {
        try {
          const point = pointOf(response, request, ctx);
          // An llm answer's tokens are known when it ends (a stream's, at its last event).
          afterTokenCount(ctx, (tokens) => {
            try {
              store.write({ ...point, tokens }, ctx);
            } catch (error) {
              ctx.log.warn("usage point not recorded", describeError(error));
            }
          });
        } catch (error) {
          // Usage is worth less than the response it describes.
          ctx.log.warn("usage point not recorded", describeError(error));
        }
        return response;
      },
    };
  },
  admin: [
    {
      path: "",
      answer: (request, _params, env, instances) => answerReport(request, env, [...new Set(instances.map(({ options }) => options.binding))]),
    },
  ],
});
