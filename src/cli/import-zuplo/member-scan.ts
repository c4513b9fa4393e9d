/**
 * @module
 * Finds, in a custom module's source, each use of a member the stand-in for
 * `@zuplo/runtime` does not provide (`context.invokeInboundPolicy`,
 * `context.cache`, `HttpProblems.imATeapot`...), which would only fail at run
 * time, and marks it in the copied source so the build fails right there.
 *
 * Its limits, on purpose (a regex, not a type checker): it knows the objects
 * by the names Zuplo's documentation gives them (`request`, `context`,
 * `HttpProblems`), so a parameter named otherwise, an alias or a destructured
 * member goes unseen; a match inside a comment or a string counts. Every
 * member of `environment` is a variable's name, so it is not checked.
 */
import { posix } from "node:path";
import { UNMAPPED_DIR } from "./route-map.ts";
import { SHIM_MEMBERS } from "./runtime-shim.ts";

export interface MemberUse {
  /** `context.invokeInboundPolicy` */
  use: string;
  line: number;
}

// Not after a dot or a word character, so `this.request.x` or `subcontext.x` are not taken for them.
const MEMBER = /(?<![\w$.])(request|context|HttpProblems)(\s*\??\.\s*)([A-Za-z_$][\w$]*)/g;

/**
 * The module's source with each unprovided use turned into a reference to a
 * module under policies/zuplo-unmapped/ that does not exist, on the same line
 * (so the build error points there and lines stay the user's), and the uses.
 */
export function markUnprovidedMembers(source: string, modulePath: string): { source: string; uses: MemberUse[] } {
  const uses: MemberUse[] = [];
  const unmapped = posix.relative(posix.dirname(modulePath), UNMAPPED_DIR);
  const marked = source.replace(MEMBER, (match: string, object: string, dot: string, member: string, offset: number) => {
    if (SHIM_MEMBERS[object].includes(member)) return match;
    uses.push({ use: `${object}.${member}`, line: source.slice(0, offset).split("\n").length });
    // A comma expression keeps the value and the call as they were; esbuild fails on the import it cannot resolve.
    return `(import(${JSON.stringify(`${unmapped}/${object}.${member}.ts`)}), ${object})${dot}${member}`;
  });
  return { source: marked, uses };
}
