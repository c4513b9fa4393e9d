import { describeBuiltin } from "../../builtin-descriptor.ts";
import { options } from "./options.ts";

export default describeBuiltin({
  name: "cors",
  kind: "policy",
  summary: "Lets browsers on the listed origins call the API: answers preflights and adds the CORS headers to every response, errors included.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["preflight", "finish"],
});
