/**
 * @module
 * Build-time checks of `${env.NAME}` and `${params.name}`: each must stand
 * where the gateway can fill it in, and name something that can exist. A
 * built-in may fill more in its own options (its descriptor's `templates`,
 * such as `${query.name}`): those its build step checks.
 */
import { didYouMean } from "../../did-you-mean.ts";
import { TEMPLATE_PATTERN } from "../../runtime/templates.ts";
import { BuildError, joinPointer } from "../errors.ts";
import { BUILTINS } from "../registry.ts";
import type { SourceSet } from "./sources.ts";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ANY_TEMPLATE = /\$\{([^}]*)\}/g;
/** `${env.` or `${params.` with no `}` before the next `${` or the end: never filled in, sent as written. */
const UNCLOSED = /\$\{(?:env|params)\.(?:[^}$]|\$(?!\{))*(?=\$\{|$)/;

export interface TemplateScope {
  /** Path parameters `${params.x}` may name; undefined where there is no operation. */
  params?: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

/** Each string with its pointer, and the template sources the built-in whose options hold it fills beyond env and params. */
function* strings(value: unknown, pointer: string, owned = NONE): Generator<[string, string, ReadonlySet<string>]> {
  if (typeof value === "string") yield [value, pointer, owned];
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* strings(item, joinPointer(pointer, i), owned);
  else if (value && typeof value === "object") {
    const use = (value as { use?: unknown }).use;
    const filled = typeof use === "string" ? BUILTINS.get(use)?.templates : undefined;
    for (const [key, item] of Object.entries(value)) yield* strings(item, joinPointer(pointer, key), filled && key === "options" ? new Set(filled) : owned);
  }
}

/** Checks templates inside an x-portico value. */
export function checkTemplates(value: unknown, pointer: string, scope: TemplateScope, sources: SourceSet): BuildError[] {
  const errors: BuildError[] = [];
  for (const [text, at, owned] of strings(value, pointer)) {
    const fail = (message: string, hint: string) => errors.push(new BuildError(sources.locate(at), message, hint));
    const unclosed = UNCLOSED.exec(text)?.[0];
    if (unclosed !== undefined) {
      fail(`"${unclosed}" is never closed, so it would be sent as written.`, `Close it with "}": \${${unclosed.slice(2)}}.`);
      continue;
    }
    for (const [whole, inner] of text.matchAll(ANY_TEMPLATE)) {
      const [source, ...rest] = inner.split(".");
      const name = rest.join(".");
      if (source === "env") {
        if (!ENV_NAME.test(name))
          fail(
            `"${whole}" does not name a Worker var: names are letters, digits and _.`,
            "Write ${env.NAME} with the name of a var in wrangler.toml or a secret.",
          );
      } else if (source === "params") {
        if (!scope.params)
          fail(
            `"${whole}" cannot be filled here: there is no operation, so no path parameters.`,
            "Use ${params.x} only in an operation's own x-portico (for instance a forward url), or use ${env.NAME}.",
          );
        else if (!scope.params.has(name))
          fail(
            `"${whole}" names no path parameter of this operation.`,
            `${didYouMean(name, [...scope.params])}Use one of: ${[...scope.params].join(", ") || "(the operation has none)"}.`,
          );
      } else if (!owned.has(source)) {
        fail(`"${whole}" is not a template Portico knows.`, "Templates are ${env.NAME} (a Worker var or secret) and ${params.name} (a path parameter).");
      }
    }
  }
  return errors;
}

/** Templates outside x-portico are never filled in: in servers or security schemes they are a mistake. */
export function checkStrayTemplates(document: Record<string, any>, sources: SourceSet): BuildError[] {
  const places: Array<[unknown, string]> = [
    [document.servers, "/servers"],
    ...Object.entries(document.components?.securitySchemes ?? {}).map(([name, scheme]): [unknown, string] => {
      const { "x-portico": _extension, description: _description, ...rest } = (scheme ?? {}) as Record<string, unknown>;
      return [rest, joinPointer("/components/securitySchemes", name)];
    }),
  ];
  const errors: BuildError[] = [];
  for (const [value, pointer] of places) {
    for (const [text, at] of strings(value, pointer)) {
      const found = text.match(TEMPLATE_PATTERN);
      if (!found) continue;
      errors.push(
        new BuildError(
          sources.locate(at),
          `"${found[0]}" stands outside x-portico, where Portico does not fill templates in.`,
          "Move the value into an x-portico block (for a security scheme, its own x-portico), or write the literal value.",
        ),
      );
    }
  }
  return errors;
}
