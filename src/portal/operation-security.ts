/**
 * @module
 * An operation's "Authentication" section: the credentials it takes, any one
 * of the listed requirements sufficing, each linked to its scheme on the home page.
 */
import { escapeHtml } from "./html.ts";
import type { OperationModel } from "./operation-model.ts";

export function securitySection(model: OperationModel): string {
  if (!model.security.length || model.security.every((requirement) => requirement.length === 0)) {
    return `<section aria-labelledby="security"><h2 id="security">Authentication</h2><p>None: this operation is public.</p></section>`;
  }
  const options = model.security.map((requirement) => {
    if (!requirement.length) return "<li>No credential (public)</li>";
    const parts = requirement.map(({ key, scheme, scopes }) => {
      const scopeText = scopes.length ? ` with scopes ${scopes.map((scope) => `<code>${escapeHtml(scope)}</code>`).join(", ")}` : "";
      return `<a href="../index.html#scheme-${escapeHtml(key)}"><strong>${escapeHtml(key)}</strong></a> <span class="muted">${escapeHtml(describeScheme(scheme))}</span>${scopeText}`;
    });
    return `<li>${parts.join(" <em>and</em> ")}</li>`;
  });
  const lead = model.security.length > 1 ? "<p>Any one of:</p>" : "";
  return `<section aria-labelledby="security"><h2 id="security">Authentication</h2>${lead}<ul class="security">${options.join("")}</ul></section>`;
}

/** A security scheme in a few words: "API key in header "X-Key"", "HTTP bearer (JWT)". */
export function describeScheme(scheme: Record<string, any>): string {
  switch (scheme.type) {
    case "apiKey":
      return `API key in ${scheme.in} "${scheme.name}"`;
    case "http":
      return String(scheme.scheme).toLowerCase() === "basic"
        ? "HTTP Basic"
        : `HTTP ${scheme.scheme ?? "bearer"}${scheme.bearerFormat ? ` (${scheme.bearerFormat})` : ""}`;
    case "oauth2":
      return `OAuth 2 (${Object.keys(scheme.flows ?? {}).join(", ")})`;
    case "openIdConnect":
      return "OpenID Connect";
    case "mutualTLS":
      return "mutual TLS";
    default:
      return String(scheme.type ?? "unknown");
  }
}
