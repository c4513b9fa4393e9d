import validation from "../../../test/.generated/validation/app.ts";
import { call } from "../../../test/support/call.ts";
import { ordinaryRequest, runRuntimeContract } from "../builtin-runtime.case.ts";
import validateRequest from "./index.ts";

runRuntimeContract("validate-request", validateRequest, {
  // As the build derives it for `POST /things/{id}` with a required query parameter `q` and a JSON body.
  options: {},
  prepared: {
    parameters: [
      { name: "q", in: "query", required: true, style: "form", explode: true, shape: "array", coerce: { types: ["array"], items: { types: ["string"] } } },
    ],
    body: { required: true, media: [{ range: "application/json", kind: "json" }] },
    maxBodyBytes: 1024,
    mode: "enforce",
    maxStringLength: 16384,
  },
  refusal: { request: () => new Request("https://api.example.com/things/42", ordinaryRequest()) },
  atGateway: () => call(validation, "/people/7"),
});
