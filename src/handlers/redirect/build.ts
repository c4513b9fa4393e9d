import { describeBuiltin } from "../../builtin-descriptor.ts";
import { options } from "./options.ts";

export default describeBuiltin({
  name: "redirect",
  kind: "handler",
  summary: "Answers with a redirect to a URL template.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["handle"],
});
