// The try-it console's pure parts: no DOM, no storage, no network, so Node can
// test exactly what the browser will send and show.

const NO_BODY_METHODS = ["GET", "HEAD"];

/**
 * The request a try-it form describes.
 * fields: [name, value] pairs of the form (path.*, query.*, header.*, body).
 * credentials: { kind: "apiKey", in, name, value } | { kind: "bearer", value }
 *   | { kind: "basic", user, password }; empty ones are left out.
 * Returns { method, url, headers: [name, value][], body?, missing: string[], notes: string[] }.
 */
export function buildTryItRequest({ method, path, server, fields, credentials }) {
  const upperMethod = String(method).toUpperCase();
  const missing = [];
  const notes = [];
  const query = new URLSearchParams();
  const headers = [];
  const pathValues = new Map();
  let body;

  for (const [name, rawValue] of fields) {
    const value = String(rawValue ?? "");
    if (name === "body") {
      if (value.trim() !== "" && !NO_BODY_METHODS.includes(upperMethod)) body = value;
    } else if (name.startsWith("path.")) {
      pathValues.set(name.slice(5), value);
    } else if (value === "") {
      // An empty optional field means "not sent", as in a hand-written request.
    } else if (name.startsWith("query.")) {
      query.append(name.slice(6), value);
    } else if (name.startsWith("header.")) {
      headers.push([name.slice(7), value]);
    }
  }

  const filledPath = String(path).replace(/\{([^}]+)\}/g, (template, name) => {
    const value = pathValues.get(name) ?? "";
    if (value === "") {
      missing.push(name);
      return template;
    }
    // Encoded so a "/" or "?" typed into a parameter cannot change the route.
    return encodeURIComponent(value);
  });

  for (const credential of credentials ?? []) applyCredential(credential, { headers, query, notes });

  if (body !== undefined && !headers.some(([name]) => name.toLowerCase() === "content-type")) {
    headers.push(["content-type", "application/json"]);
  }

  const search = query.toString();
  return {
    method: upperMethod,
    url: `${serverPath(server)}${filledPath}${search === "" ? "" : `?${search}`}`,
    headers,
    body,
    missing,
    notes,
  };
}

function applyCredential(credential, { headers, query, notes }) {
  if (credential.kind === "bearer" && nonEmpty(credential.value)) {
    headers.push(["authorization", `Bearer ${credential.value.trim()}`]);
  } else if (credential.kind === "basic" && (nonEmpty(credential.user) || nonEmpty(credential.password))) {
    headers.push(["authorization", `Basic ${base64Utf8(`${credential.user ?? ""}:${credential.password ?? ""}`)}`]);
  } else if (credential.kind === "apiKey" && nonEmpty(credential.value)) {
    if (credential.in === "query") query.append(credential.name, credential.value.trim());
    else if (credential.in === "header") headers.push([credential.name, credential.value.trim()]);
    // Browsers drop a Cookie header set by a script, and document.cookie would leak
    // the key to every page of the origin: say so rather than send nothing silently.
    else notes.push(`The ${credential.name} cookie cannot be sent from this console; use the curl sample instead.`);
  }
}

/**
 * The gateway serves this page, so the request stays on its origin: only the
 * server URL's path is kept ("http://localhost:8787/v1" -> "/v1").
 */
export function serverPath(server) {
  const withoutOrigin = String(server ?? "")
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "");
  return withoutOrigin.replace(/[?#].*$/, "").replace(/\/+$/, "");
}

/** btoa only takes Latin-1; a user name or password may not be. */
export function base64Utf8(text) {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** RateLimit (draft IETF), X-RateLimit-* (the common older form) and Retry-After. */
export function isRateLimitHeader(name) {
  const lower = name.toLowerCase();
  return lower.startsWith("ratelimit") || lower.startsWith("x-ratelimit") || lower === "retry-after";
}

/** JSON (including problem+json) pretty-printed; anything else exactly as received. */
export function formatBody(contentType, text) {
  if (/[/+]json\b/i.test(contentType ?? "") && text.trim() !== "") {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // A body that claims JSON but is not: showing it raw is more useful than an error.
    }
  }
  return text;
}

function nonEmpty(value) {
  return typeof value === "string" && value.trim() !== "";
}
