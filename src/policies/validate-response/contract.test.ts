import validation from "../../../test/.generated/validation/app.ts";
import { call } from "../../../test/support/call.ts";
import { runRuntimeContract } from "../builtin-runtime.case.ts";
import validateResponse from "./index.ts";

runRuntimeContract("validate-response", validateResponse, {
  options: { mode: "enforce", maxBodyBytes: 1024 },
  // As the build derives it from an operation declaring a JSON 200 and a 302 without content.
  prepared: { responses: { "200": { "application/json": null }, "302": {} } },
  refusal: { response: () => new Response("<p>Hello</p>", { headers: { "content-type": "text/html" } }) },
  atGateway: () => call(validation, "/responses/enforced"),
});
