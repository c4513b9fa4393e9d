// The try-it console's pure parts: no DOM, no storage, no network, so Node can
// test exactly what the browser will send and show.

const NO_BODY_METHODS = ["GET", "HEAD"];

/**
 * The request a try-it form describes.
 * fields: [name, value] pairs of the form (path.*, query.*, header.*, cookie.*; a
 *   "body" field is a JSON body, as forms without a media type choice send it).
 * credentials: { kind: "apiKey", in, name, value } | { kind: "bearer", value }
 *   | { kind: "basic", user, password }; empty ones are left out.
 * body: { kind: "json" | "text" | "form" | "multipart" | "binary", mediaType, text }: the
 *   editor in use. A form body is text of one name=value a line; a multipart or binary body
 *   is built by the page from its inputs (bodyKind says which), so only its headers are here.
 * Returns { method, url, headers: [name, value][], body?, bodyKind?, cookies?: [name, value][],
 *   cookiePath?, missing: string[], notes: string[] }.
 */
export function buildTryItRequest({ method, path, server, fields, credentials, body: editor }) {
  const upperMethod = String(method).toUpperCase();
  const missing = [];
  const notes = [];
  const query = new URLSearchParams();
  const headers = [];
  const cookies = [];
  const pathValues = new Map();
  let body;
  let bodyKind;
  let contentType;

  for (const [name, rawValue] of fields) {
    const value = String(rawValue ?? "");
    if (name === "body") {
      if (value.trim() !== "") [body, contentType] = [value, "application/json"];
    } else if (name.startsWith("path.")) {
      pathValues.set(name.slice(5), value);
    } else if (value === "") {
      // An empty optional field means "not sent", as in a hand-written request.
    } else if (name.startsWith("query.")) {
      query.append(name.slice(6), value);
    } else if (name.startsWith("header.")) {
      headers.push([name.slice(7), value]);
    } else if (name.startsWith("cookie.")) {
      cookies.push([name.slice(7), value]);
    }
  }
  if (editor) {
    const text = String(editor.text ?? "");
    body = undefined;
    contentType = editor.mediaType;
    if (editor.kind === "multipart" || editor.kind === "binary") bodyKind = editor.kind;
    else if (editor.kind === "form") body = formBody(text);
    else if (text.trim() !== "") body = text;
    // The browser writes a multipart body's Content-Type itself: only it knows the boundary.
    if (editor.kind === "multipart" || (body === undefined && bodyKind === undefined)) contentType = undefined;
  }
  if (NO_BODY_METHODS.includes(upperMethod)) [body, bodyKind, contentType] = [undefined, undefined, undefined];

  const filledPath = String(path)
    .replace(/#.*$/, "")
    .replace(/\{([^}]+)\}/g, (template, name) => {
      const value = pathValues.get(name) ?? "";
      if (value === "") {
        missing.push(name);
        return template;
      }
      // Encoded so a "/" or "?" typed into a parameter cannot change the route.
      return encodeURIComponent(value);
    });

  for (const credential of credentials ?? []) applyCredential(credential, { headers, query, cookies, notes });

  if (contentType !== undefined && !headers.some(([name]) => name.toLowerCase() === "content-type")) {
    headers.push(["content-type", contentType]);
  }

  const search = query.toString();
  const base = serverPath(server);
  return {
    method: upperMethod,
    url: `${base}${filledPath}${search === "" ? "" : `?${search}`}`,
    headers,
    body,
    bodyKind,
    cookies: cookies.length > 0 ? cookies : undefined,
    // The cookies go to the API's own paths only, not to every page of the origin.
    cookiePath: cookies.length > 0 ? base || "/" : undefined,
    missing,
    notes,
  };
}

/** A form body from text of one name=value a line (names as `metadata[plan]`), percent-encoded as a form sends it. */
export function formBody(text) {
  const params = new URLSearchParams();
  for (const line of String(text).split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const at = line.indexOf("=");
    if (at < 0) params.append(line.trim(), "");
    else params.append(line.slice(0, at).trim(), line.slice(at + 1));
  }
  return params.toString();
}

function applyCredential(credential, { headers, query, cookies, notes }) {
  if (credential.kind === "bearer" && nonEmpty(credential.value)) {
    headers.push(["authorization", `Bearer ${credential.value.trim()}`]);
  } else if (credential.kind === "basic" && (nonEmpty(credential.user) || nonEmpty(credential.password))) {
    headers.push(["authorization", `Basic ${base64Utf8(`${credential.user ?? ""}:${credential.password ?? ""}`)}`]);
  } else if (credential.kind === "apiKey" && nonEmpty(credential.value)) {
    if (credential.in === "query") query.append(credential.name, credential.value.trim());
    else if (credential.in === "header") headers.push([credential.name, credential.value.trim()]);
    // Browsers drop a Cookie header set by a script: the page sets the cookie on its own origin (the gateway) instead.
    else if (/^[\x21-\x7e]+$/.test(credential.value.trim()) && !/[;,"\\]/.test(credential.value)) cookies.push([credential.name, credential.value.trim()]);
    else notes.push(`The ${credential.name} cookie cannot hold that value (spaces, commas, semicolons or quotes); use the curl sample instead.`);
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
