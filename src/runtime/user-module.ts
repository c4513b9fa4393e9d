/**
 * @module
 * A user's module from policies/ (a `definePolicy` or `defineHandler` export)
 * seen as a built-in: the route table runs both the same way, and a user's
 * hooks keep the documented shape, options as their last argument.
 */
import { defineBuiltin, type Builtin, type Hooks } from "./builtin.ts";
import { handOverToUserCode } from "./context.ts";
import type { HandlerModule, PolicyModule } from "./types.ts";

export function userModule(module: PolicyModule<any> | HandlerModule<any>): Builtin {
  return defineBuiltin<unknown>({
    create({ options }): Hooks {
      if (module.kind === "handler") return { handle: (request, ctx) => module.handle(request, ctx, options) };
      const { inbound, outbound, finish } = module;
      return {
        inbound:
          inbound &&
          ((request, ctx) => {
            handOverToUserCode(ctx, request);
            return inbound(request, ctx, options);
          }),
        outbound: outbound && ((response, request, ctx) => outbound(response, request, ctx, options)),
        finish: finish && ((response, request, ctx) => finish(response, request, ctx, options)),
      };
    },
  });
}
