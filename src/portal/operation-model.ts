/**
 * @module
 * What an operation page, its code samples and its try-it form all need:
 * the merged parameters, an example value for each, the JSON body example
 * and the security schemes that apply.
 */
import { resolve } from "./refs.ts";

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  description?: string;
  schema: Record<string, any>;
  deprecated?: boolean;
  examples: Array<{ name: string; value: unknown }>;
}

export interface AuthScheme {
  key: string;
  scheme: Record<string, any>;
  scopes: string[];
}

export interface OperationModel {
  id: string;
  method: string;
  path: string;
  operation: Record<string, any>;
  parameters: Parameter[];
  /** OR of ANDs, as in OpenAPI; an empty list means public. */
  security: AuthScheme[][];
  jsonBody?: { mediaType: string; example: unknown };
}

export function operationModel(
  document: Record<string, any>,
  id: string,
  method: string,
  path: string,
  pathItem: Record<string, any>,
  operation: Record<string, any>,
): OperationModel {
  const merged = new Map<string, Parameter>();
  for (const raw of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
    const parameter = resolve(document, raw);
    if (!parameter?.name || !parameter.in) continue;
    merged.set(`${parameter.in}:${parameter.name}`, {
      name: parameter.name,
      in: parameter.in,
      required: parameter.in === "path" || parameter.required === true,
      description: parameter.description,
      deprecated: parameter.deprecated,
      schema: resolve(document, parameter.schema ?? firstMediaSchema(parameter.content) ?? {}),
      examples: namedExamples(document, parameter),
    });
  }
  const requirements: Array<Record<string, string[]>> = operation.security ?? document.security ?? [];
  const schemes = document.components?.securitySchemes ?? {};
  const security = requirements.map((requirement) =>
    Object.entries(requirement ?? {}).map(([key, scopes]) => ({
      key,
      scheme: resolve(document, schemes[key] ?? {}),
      scopes: Array.isArray(scopes) ? scopes : [],
    })),
  );
  return { id, method, path, operation, parameters: [...merged.values()], security, jsonBody: jsonBodyOf(document, operation) };
}

function firstMediaSchema(content: unknown): unknown {
  if (!content || typeof content !== "object") return undefined;
  return (Object.values(content)[0] as any)?.schema;
}

/** Named examples of a parameter or media type, the single `example` and the schema's as fallbacks. */
export function namedExamples(document: Record<string, any>, holder: Record<string, any>): Array<{ name: string; summary?: string; value: unknown }> {
  const out: Array<{ name: string; summary?: string; value: unknown }> = [];
  if (holder.examples && typeof holder.examples === "object" && !Array.isArray(holder.examples)) {
    for (const [name, raw] of Object.entries(holder.examples)) {
      const example = resolve(document, raw as any);
      if (example && "value" in example) out.push({ name, summary: example.summary, value: example.value });
      else if (example?.externalValue) out.push({ name, summary: example.summary, value: `(see ${example.externalValue})` });
    }
  }
  if (!out.length && holder.example !== undefined) out.push({ name: "example", value: holder.example });
  if (!out.length) {
    const schema = resolve(document, holder.schema ?? {});
    if (schema?.example !== undefined) out.push({ name: "example", value: schema.example });
    else if (Array.isArray(schema?.examples) && schema.examples.length) out.push({ name: "example", value: schema.examples[0] });
  }
  return out;
}

export function parameterValue(parameter: Parameter): string {
  const first = parameter.examples[0];
  const value = first ? first.value : (parameter.schema.default ?? (Array.isArray(parameter.schema.enum) ? parameter.schema.enum[0] : undefined));
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function jsonBodyOf(document: Record<string, any>, operation: Record<string, any>): OperationModel["jsonBody"] {
  const body = resolve(document, operation.requestBody);
  if (!body?.content) return undefined;
  const mediaType = Object.keys(body.content).find((type) => /^application\/([\w.+-]*\+)?json\b/.test(type));
  if (!mediaType) return undefined;
  const media = body.content[mediaType] ?? {};
  const example = namedExamples(document, media)[0]?.value;
  return { mediaType, example: example ?? {} };
}

/** The schemes of the first requirement: the one code samples and the try-it form fill in. */
export function primarySchemes(model: OperationModel): AuthScheme[] {
  return model.security.find((requirement) => requirement.length > 0) ?? [];
}

export function serverUrl(document: Record<string, any>): string {
  const server = document.servers?.[0];
  if (!server?.url) return "";
  return String(server.url).replace(/\{([^}]+)\}/g, (_, name: string) => server.variables?.[name]?.default ?? name);
}
