/**
 * @module
 * The try-it form, server-rendered so it reads without JavaScript;
 * assets/try-it.js sends it to the gateway and shows the answer.
 */
import { escapeHtml } from "./html.ts";
import { parameterValue, serverUrl, type AuthScheme, type OperationModel } from "./operation-model.ts";

export function tryItForm(document: Record<string, any>, model: OperationModel): string {
  const fields = model.parameters
    .filter((parameter) => parameter.in !== "cookie")
    .map((parameter) => {
      const name = `${parameter.in}.${parameter.name}`;
      const id = `try-${model.id}-${name}`.replace(/[^A-Za-z0-9_-]/g, "-");
      return `<div class="field"><label for="${escapeHtml(id)}">${escapeHtml(parameter.name)} <span class="muted">${parameter.in}</span>${parameter.required ? ` <span class="required">required</span>` : ""}</label><input id="${escapeHtml(id)}" name="${escapeHtml(name)}" value="${escapeHtml(parameterValue(parameter))}"${parameter.required ? " required" : ""}></div>`;
    })
    .join("");
  const body = model.jsonBody
    ? `<div class="field"><label for="try-${escapeHtml(model.id)}-body">Body <span class="muted">${escapeHtml(model.jsonBody.mediaType)}</span></label><textarea id="try-${escapeHtml(model.id)}-body" name="body" rows="8" spellcheck="false">${escapeHtml(JSON.stringify(model.jsonBody.example, null, 2))}</textarea></div>`
    : "";
  const credentials = credentialFields(model);
  return `<section aria-labelledby="try-it"><h2 id="try-it">Try it</h2>
<form class="try-it" data-try-it data-method="${escapeHtml(model.method.toUpperCase())}" data-path="${escapeHtml(model.path)}" data-server="${escapeHtml(serverUrl(document))}">
${fields}${body}${credentials}
<button type="submit">Send request</button>
<div data-try-it-output aria-live="polite"></div>
</form>
<p class="muted">Credentials stay in this browser tab and are sent only to this gateway.</p>
</section>`;
}

function credentialFields(model: OperationModel): string {
  const seen = new Set<string>();
  const inputs: string[] = [];
  const schemes: AuthScheme[] = model.security.flat();
  for (const { key, scheme } of schemes) {
    if (scheme.type === "apiKey") {
      if (seen.has(`apiKey:${scheme.in}:${scheme.name}`)) continue;
      seen.add(`apiKey:${scheme.in}:${scheme.name}`);
      inputs.push(
        field(
          `API key (${key})`,
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
