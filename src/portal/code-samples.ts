/**
 * @module
 * Ready-to-run requests in curl, JavaScript fetch and Python requests, with
 * the required headers and the credential already in place.
 */
import { snippetz } from "@scalar/snippetz";
import { codeBlock } from "./highlight.ts";
import { parameterValue, primarySchemes, serverUrl, type OperationModel } from "./operation-model.ts";

const printer = snippetz();
const targets = [
  { target: "shell", client: "curl", label: "curl", language: "bash" },
  { target: "js", client: "fetch", label: "JavaScript", language: "javascript" },
  { target: "python", client: "requests", label: "Python", language: "python" },
] as const;

/** A server given as a path only is relative to the gateway; samples need a full URL to run. */
const localGateway = "http://localhost:8787";

export function codeSamples(document: Record<string, any>, model: OperationModel): string {
  const request = sampleRequest(document, model);
  const blocks = targets.map(({ target, client, label, language }) => {
    let code: string;
    try {
      code = printer.print(target as any, client as any, request as any) ?? "";
    } catch {
      code = "";
    }
    return `<details class="sample"${label === "curl" ? " open" : ""}><summary>${label}</summary>${codeBlock(code, language)}</details>`;
  });
  return `<section aria-labelledby="samples"><h2 id="samples">Code samples</h2>${blocks.join("")}</section>`;
}

export function sampleRequest(document: Record<string, any>, model: OperationModel) {
  let base = serverUrl(document);
  if (!/^https?:\/\//.test(base)) base = localGateway + (base.startsWith("/") ? base : base ? `/${base}` : "");
  const path = model.path.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const parameter = model.parameters.find((item) => item.in === "path" && item.name === name);
    const value = parameter ? parameterValue(parameter) : "";
    return encodeURIComponent(value || name);
  });
  const headers: Array<{ name: string; value: string }> = [];
  const queryString: Array<{ name: string; value: string }> = [];
  const cookies: Array<{ name: string; value: string }> = [];
  for (const parameter of model.parameters) {
    if (!parameter.required || parameter.in === "path") continue;
    const value = parameterValue(parameter) || `<${parameter.name}>`;
    if (parameter.in === "header") headers.push({ name: parameter.name, value });
    if (parameter.in === "query") queryString.push({ name: parameter.name, value });
    if (parameter.in === "cookie") cookies.push({ name: parameter.name, value });
  }
  for (const { scheme } of primarySchemes(model)) {
    if (scheme.type === "apiKey") {
      const target = scheme.in === "query" ? queryString : scheme.in === "cookie" ? cookies : headers;
      target.push({ name: scheme.name, value: "YOUR_API_KEY" });
    } else if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "basic") {
      headers.push({ name: "Authorization", value: "Basic BASE64_OF_USER_COLON_PASSWORD" });
    } else if (scheme.type === "http" || scheme.type === "oauth2" || scheme.type === "openIdConnect") {
      headers.push({ name: "Authorization", value: "Bearer YOUR_TOKEN" });
    }
  }
  if (cookies.length) headers.push({ name: "Cookie", value: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ") });
  const request: Record<string, unknown> = { method: model.method.toUpperCase(), url: base.replace(/\/$/, "") + path, headers, queryString };
  if (model.jsonBody) {
    headers.push({ name: "Content-Type", value: model.jsonBody.mediaType });
    request.postData = { mimeType: model.jsonBody.mediaType, text: JSON.stringify(model.jsonBody.example) };
  }
  return request;
}
