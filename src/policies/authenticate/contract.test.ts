import { ordinaryRequest, runRuntimeContract } from "../builtin-runtime.case.ts";
import auth from "../../../test/.generated/auth/app.ts";
import { call } from "../../../test/support/call.ts";
import { storeConsumer } from "../../../test/support/consumers.ts";
import authenticate from "./index.ts";

const key = await storeConsumer({ id: `contract-${crypto.randomUUID()}`, tier: "gold" });
const withHeaders = (request: Request, headers: Record<string, string>) =>
  new Request(request, { headers: { ...Object.fromEntries(request.headers), ...headers } });

runRuntimeContract("authenticate", authenticate, {
  options: {
    requirements: [[{ scheme: "key", scopes: [] }]],
    schemes: { key: { type: "apiKey", in: "header", name: "X-API-Key", binding: "CONSUMERS" } },
    realm: "Contract",
  },
  // A caller's own consumer headers are replaced, and the key never reaches the upstream.
  admitted: () => withHeaders(ordinaryRequest(), { "x-api-key": key, "x-consumer-id": "forged" }),
  changes: ["x-api-key", "x-consumer-id", "x-consumer-tier"],
  refusal: { request: () => withHeaders(ordinaryRequest(), { "x-api-key": "ptk_notARealKey" }) },
  atGateway: () => call(auth, "/key"),
});
