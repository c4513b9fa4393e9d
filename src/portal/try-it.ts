/**
 * @module
 * The try-it form, server-rendered so it reads without JavaScript;
 * assets/try-it.js sends it to the gateway and shows the answer. A body is
 * edited in the media type chosen: JSON or text as it is sent, a form one
 * `name=value` a line, a multipart one a field per part (files included).
 */
import { escapeHtml } from "./html.ts";
import { parameterSample } from "./examples.ts";
import { parameterValue, serverUrl, type AuthScheme, type OperationModel } from "./operation-model.ts";
import { formFields, multipartParts, requestBodies, type SampleBody } from "./sample-body.ts";

export function tryItForm(document: Record<string, any>, model: OperationModel): string {
  const cookies: string[] = [];
  const fields = model.parameters
    .map((parameter) => {
      const name = `${parameter.in}.${parameter.name}`;
      if (parameter.in === "cookie") cookies.push(parameter.name);
      // A required value is filled in, so that the first try succeeds; an optional one only when the document gives one.
      const value = parameter.required ? parameterSample(document, parameter) : parameterValue(parameter);
      const required = parameter.required ? ` <b>required</b>` : "";
      // The input inside its label needs no id to be named by it, nor a wrapper: GitHub's 3,900 fields would carry 550 kB of them.
      const input = `<input name="${escapeHtml(name)}"${value ? ` value="${escapeHtml(value)}"` : ""}${parameter.required ? " required" : ""}>`;
      return `<label>${escapeHtml(parameter.name)} <span class="muted">${parameter.in}</span>${required} ${input}</label>`;
    })
    .join("");
  const bodies = requestBodies(document, model.operation);
  const credentials = credentialFields(model, cookies);
  const cookieNote = cookies.length
    ? `<p class="muted">Cookies (${cookies.map((name) => `<code>${escapeHtml(name)}</code>`).join(", ")}) are set on this origin, for the API's path only, while the request is sent, then removed: a browser sends no Cookie header a script writes.</p>`
    : "";
  return `<section aria-labelledby="try-it"><h2 id="try-it">Try it</h2>
<form class="try-it" data-try-it data-method="${escapeHtml(model.method.toUpperCase())}" data-path="${escapeHtml(model.path)}" data-server="${escapeHtml(serverUrl(document))}">
${fields}${bodyEditors(document, model.id, bodies)}${credentials}
<button type="submit">Send request</button>
<div data-try-it-output aria-live="polite"></div>
</form>
${credentials ? `<p class="muted">Credentials stay in this browser tab and are sent only to this gateway.</p>` : ""}${cookieNote}
</section>`;
}

/** One editor per media type; the first shows, the select (with JavaScript) switches to another. */
function bodyEditors(document: Record<string, any>, operationId: string, bodies: SampleBody[]): string {
  if (!bodies.length) return "";
  const base = `try-${operationId}-body`.replace(/[^A-Za-z0-9_-]/g, "-");
  const select =
    bodies.length > 1
      ? `<div class="field"><label for="${base}-type">Body media type</label><select id="${base}-type" name="content-type" data-body-select>${bodies.map((body) => `<option>${escapeHtml(body.mediaType)}</option>`).join("")}</select></div>`
      : "";
  const editors = bodies.map((body, index) => {
    const id = index === 0 ? base : `${base}-${index + 1}`;
    const attributes = `class="try-body" data-body-for="${escapeHtml(body.mediaType)}" data-body-kind="${body.kind}"${index === 0 ? "" : " hidden"}`;
    return `<div ${attributes}>${editor(document, id, body)}</div>`;
  });
  return select + editors.join("");
}

function editor(document: Record<string, any>, id: string, body: SampleBody): string {
  const type = `<span class="muted">${escapeHtml(body.mediaType)}</span>`;
  if (body.kind === "multipart") {
    const parts = multipartParts(document, body).map((part, index) => {
      const partId = `${id}-part-${index}`;
      const input = part.fileName
        ? `<input id="${partId}" type="file" name="part.${escapeHtml(part.name)}"${part.multiple ? " multiple" : ""}>`
        : `<input id="${partId}" name="part.${escapeHtml(part.name)}" value="${escapeHtml(part.value ?? "")}">`;
      return `<div class="field"><label for="${partId}">${escapeHtml(part.name)}${part.fileName ? ' <span class="muted">file</span>' : ""}</label>${input}</div>`;
    });
    return `<fieldset><legend>Body ${type}</legend>${parts.join("")}</fieldset>`;
  }
  if (body.kind === "binary")
    return `<div class="field"><label for="${id}">Body ${type} <span class="muted">a file, sent as it is</span></label><input id="${id}" type="file" name="file"></div>`;
  const text =
    body.kind === "form"
      ? formFields(body)
          .map(([name, value]) => `${name}=${value}`)
          .join("\n")
      : body.value === undefined
        ? ""
        : typeof body.value === "string"
          ? body.value
          : JSON.stringify(body.value, null, 2);
  const hint = body.kind === "form" ? ` <span class="muted">one name=value a line</span>` : "";
  const rows = Math.min(16, Math.max(4, text.split("\n").length + 1));
  return `<div class="field"><label for="${id}">Body ${type}${hint}</label><textarea id="${id}" name="body" rows="${rows}" spellcheck="false">${escapeHtml(text)}</textarea></div>`;
}

/** A field for each credential any of the operation's requirements takes: the console sends every one filled in. */
function credentialFields(model: OperationModel, cookies: string[]): string {
  const seen = new Set<string>();
  const inputs: string[] = [];
  const schemes: AuthScheme[] = model.security.flat();
  for (const { key, scheme } of schemes) {
    if (scheme.type === "apiKey") {
      if (seen.has(`apiKey:${scheme.in}:${scheme.name}`)) continue;
      seen.add(`apiKey:${scheme.in}:${scheme.name}`);
      if (scheme.in === "cookie") cookies.push(scheme.name);
      inputs.push(
        field(
          `API key (${key}, ${scheme.in ?? "header"} ${scheme.name})`,
          `auth.apiKey`,
          `data-in="${escapeHtml(scheme.in ?? "header")}" data-name="${escapeHtml(scheme.name)}" autocomplete="off"`,
          "password",
        ),
      );
    } else if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "basic") {
      if (seen.has("basic")) continue;
      seen.add("basic");
      inputs.push(field("User", "auth.basic.user", `autocomplete="off"`, "text"), field("Password", "auth.basic.password", `autocomplete="off"`, "password"));
    } else if (scheme.type === "http" || scheme.type === "oauth2" || scheme.type === "openIdConnect") {
      if (seen.has("bearer")) continue;
      seen.add("bearer");
      inputs.push(field("Bearer token", "auth.bearer", `autocomplete="off"`, "password"));
    }
  }
  return inputs.length ? `<fieldset class="credentials"><legend>Credentials</legend>${inputs.join("")}</fieldset>` : "";
}

function field(label: string, name: string, attributes: string, type: string): string {
  return `<div class="field"><label>${escapeHtml(label)} <input type="${type}" name="${name}" ${attributes}></label></div>`;
}
