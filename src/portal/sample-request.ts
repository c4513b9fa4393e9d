/**
 * @module
 * The request a printed code sample describes, as HAR: the server's URL (a
 * local gateway's for a path-only server), the path and the required
 * parameters with sample values, the first scheme's credential placeholder,
 * and the body in the media type given.
 */
import { parameterSample } from "./examples.ts";
import { primarySchemes, serverUrl, type OperationModel } from "./operation-model.ts";
import { postData, type SampleBody } from "./sample-body.ts";

/** A server given as a path only is relative to the gateway; samples need a full URL to run. */
const localGateway = "http://localhost:8787";

/** The request every printed sample describes, as HAR: URL, required parameters, the first scheme's credential and the body. */
export function sampleRequest(document: Record<string, any>, model: OperationModel, body?: SampleBody): Record<string, unknown> {
  let base = serverUrl(document);
  if (!/^https?:\/\//.test(base)) base = localGateway + (base.startsWith("/") ? base : base ? `/${base}` : "");
  const path = model.path.replace(/#.*$/, "").replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const parameter = model.parameters.find((item) => item.in === "path" && item.name === name);
    return encodeURIComponent((parameter && parameterSample(document, parameter)) || name);
  });
  const headers: Array<{ name: string; value: string }> = [];
  const queryString: Array<{ name: string; value: string }> = [];
  const cookies: Array<{ name: string; value: string }> = [];
  for (const parameter of model.parameters) {
    if (!parameter.required || parameter.in === "path") continue;
    const value = parameterSample(document, parameter) || `<${parameter.name}>`;
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
  if (body) {
    // A multipart body's Content-Type carries the boundary, which only the client that writes the body knows.
    if (body.kind !== "multipart") headers.push({ name: "Content-Type", value: body.mediaType });
    const data = postData(document, body);
    if (data) request.postData = data;
  }
  return request;
}
