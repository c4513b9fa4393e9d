import { env } from "cloudflare:workers";
import forwardGateway from "../../../test/.generated/forward/app.ts";
import { call } from "../../../test/support/call.ts";
import { runRuntimeContract } from "../../policies/builtin-runtime.case.ts";
import forward from "./index.ts";

runRuntimeContract("forward", forward, {
  // The local upstream of test/support/upstream.ts, which answers with what it received.
  options: { url: `${env.UPSTREAM_URL}/v1/items/\${params.id}`, timeout: 30_000, websocket: false },
  refusal: { options: { url: `${env.CLOSED_URL}/down`, timeout: 30_000, websocket: false } },
  atGateway: () => call(forwardGateway, "/down"),
});
