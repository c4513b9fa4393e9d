import { ordinaryRequest, runRuntimeContract } from "../builtin-runtime.case.ts";
import edge from "../../../test/.generated/edge/app.ts";
import { call } from "../../../test/support/call.ts";
import ipFilter from "./index.ts";

runRuntimeContract("ip-filter", ipFilter, {
  options: { allow: ["203.0.113.0/24"], deny: ["203.0.113.66"], message: "Only the office network may call this." },
  refusal: { request: () => new Request(ordinaryRequest(), { headers: { "cf-connecting-ip": "203.0.113.66" } }) },
  atGateway: () => call(edge, "/office", { headers: { "cf-connecting-ip": "198.51.100.7" } }),
});
