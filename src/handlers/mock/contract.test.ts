import pipeline from "../../../test/.generated/pipeline/app.ts";
import { call } from "../../../test/support/call.ts";
import { ordinaryRequest, runRuntimeContract } from "../../policies/builtin-runtime.case.ts";
import mock from "./index.ts";

runRuntimeContract("mock", mock, {
  options: {},
  prepared: { responses: [{ status: 200, key: "200", contentType: "application/json", examples: [{ name: "first", value: { n: 1 } }] }] },
  refusal: { request: () => new Request(ordinaryRequest(), { headers: { prefer: "code=404" } }) },
  atGateway: () => call(pipeline, "/v2/mock", { headers: { prefer: "code=418" } }),
});
