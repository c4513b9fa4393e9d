import edge from "../../../test/.generated/edge/app.ts";
import { call } from "../../../test/support/call.ts";
import { ordinaryRequest, runRuntimeContract } from "../builtin-runtime.case.ts";
import sizeLimit from "./index.ts";

const tooLarge = "x".repeat(2048);

runRuntimeContract("size-limit", sizeLimit, {
  options: { maxBytes: 1024, requireContentLength: false, maxUrlLength: 200, maxHeaderBytes: 1000 },
  // A body without a Content-Length is read to count it, and goes on with its length declared.
  changes: ["content-length"],
  refusal: { request: () => new Request(ordinaryRequest(), { body: tooLarge }) },
  atGateway: () => call(edge, "/upload", { method: "POST", body: tooLarge, headers: { "content-type": "application/octet-stream" } }),
});
