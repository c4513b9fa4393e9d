import { BuildStepError, describeBuiltin } from "../../builtin-descriptor.ts";
import { urlTemplateProblem } from "../../url-template.ts";
import { options } from "./options.ts";

/**
 * A location is a path of this gateway ("/docs/…") or an http(s) URL whose
 * host is written in the document: a caller's path parameter in the host
 * would make the gateway an open redirect, and a `javascript:` location a
 * link that runs code.
 */
function checkLocation(location: string, pointer: string): void {
  if (location.startsWith("/") && !location.startsWith("//")) return;
  const problem = urlTemplateProblem(location);
  if (problem)
    throw new BuildStepError(`The location "${location}" of "redirect" ${problem.reason}.`, pointer, `${problem.hint} See docs/policies.md#redirect.`);
}

export default describeBuiltin({
  name: "redirect",
  kind: "handler",
  summary: "Answers with a redirect to a URL template.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["handle"],
  prepare(use) {
    checkLocation(String(use.options.location), `${use.where}/options/location`);
    return {};
  },
});
