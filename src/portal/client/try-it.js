// Makes each server-rendered try-it form send a real request to the gateway
// that serves this page. Without JavaScript the form stays readable and the
// code samples beside it still work; nothing here is needed to read the docs.
// A classic script, wrapped so its names stay out of the page's global scope.
(() => {
  // The pure logic is a module the Node tests import too; a classic deferred
  // script reaches it by dynamic import, resolved against this script's own URL
  // (currentScript is only set while the script first runs).
  const logic = import(new URL("./request.js", document.currentScript?.src ?? location.href).href);
  logic.catch(() => {}); // reported in the output when a request needs it, not before

  // Per tab only, so a key typed into the console is gone when the tab closes.
  const STORAGE_PREFIX = "portico.try-it.";

  // Copy buttons and example choosers live in their own module, loaded only by pages that have them.
  if (document.querySelector("[data-copy], [data-example-select], [data-later-samples]")) {
    import(new URL("./samples.js", document.currentScript?.src ?? location.href).href).then((samples) => samples.enhanceSamples(document)).catch(() => {}); // without it the code and every example still read as rendered
  }

  for (const form of document.querySelectorAll("form[data-try-it]")) {
    restoreCredentials(form);
    const bodySelect = form.querySelector("[data-body-select]");
    if (bodySelect) {
      showBodyEditor(form, bodySelect.value);
      bodySelect.addEventListener("change", () => showBodyEditor(form, bodySelect.value));
    }
    form.addEventListener("input", (event) => {
      if (event.target.name?.startsWith("auth.")) rememberCredential(event.target);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send(form);
    });
  }

  async function send(form) {
    const output = form.querySelector("[data-try-it-output]") ?? form.parentElement.querySelector("[data-try-it-output]");
    let buildTryItRequest, formatBody, isRateLimitHeader;
    try {
      ({ buildTryItRequest, formatBody, isRateLimitHeader } = await logic);
    } catch (error) {
      render(output, [message(`The console could not load (${error.message}); the code samples above still work.`, "error")]);
      return;
    }
    const editor = form.querySelector("[data-body-for]:not([hidden])");
    const request = buildTryItRequest({
      method: form.dataset.method,
      path: form.dataset.path,
      server: form.dataset.server,
      fields: formFields(form),
      credentials: formCredentials(form),
      body: editor
        ? { kind: editor.dataset.bodyKind, mediaType: editor.dataset.bodyFor, text: editor.querySelector("textarea[name=body]")?.value ?? "" }
        : undefined,
    });
    if (request.missing.length > 0) {
      render(output, [message(`Fill in the path parameter${request.missing.length > 1 ? "s" : ""}: ${request.missing.join(", ")}.`, "error")]);
      return;
    }
    const cookieNames = (request.cookies ?? []).map(([name]) => name);
    if (cookieNames.length > 0)
      request.notes.push(
        `Cookie${cookieNames.length > 1 ? "s" : ""} ${cookieNames.join(", ")} set for ${request.cookiePath} on this origin while the request is sent.`,
      );
    const notes = request.notes.map((note) => message(note, "note"));
    const submit = form.querySelector("[type=submit]");
    if (submit) submit.disabled = true;
    render(output, [...notes, message(`Sending ${request.method} ${request.url} \u2026`, "note")]);
    const started = performance.now();
    try {
      setCookies(request, false);
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body:
          request.bodyKind === "multipart"
            ? multipartBody(editor)
            : request.bodyKind === "binary"
              ? editor.querySelector("input[type=file]")?.files?.[0]
              : request.body,
        // The gateway is this page's origin; a redirect elsewhere would carry the credentials away.
        redirect: "manual",
        credentials: "same-origin",
      });
      const text = await response.text();
      const elapsed = Math.round(performance.now() - started);
      render(output, [
        ...notes,
        statusLine(request, response, elapsed),
        headerList(response.headers, isRateLimitHeader),
        bodyBlock(response, text, formatBody),
      ]);
    } catch (error) {
      // fetch only rejects when no answer came at all: name the likely causes.
      render(output, [
        ...notes,
        message(`No response to ${request.method} ${request.url}: ${error.message}. Is the gateway running, and reachable from this page?`, "error"),
      ]);
    } finally {
      setCookies(request, true);
      if (submit) submit.disabled = false;
    }
  }

  // A script cannot send a Cookie header, but the gateway serves this page: a cookie of this origin,
  // scoped to the API's path, reaches it. It is set for the request and removed once it is answered.
  function setCookies(request, remove) {
    for (const [name, value] of request.cookies ?? []) {
      const secure = location.protocol === "https:" ? "; Secure" : "";
      document.cookie = `${name}=${remove ? "" : value}; Path=${request.cookiePath}; SameSite=Strict${secure}${remove ? "; Max-Age=0" : ""}`;
    }
  }

  function showBodyEditor(form, mediaType) {
    for (const editor of form.querySelectorAll("[data-body-for]")) {
      editor.hidden = editor.dataset.bodyFor !== mediaType;
      for (const input of editor.querySelectorAll("input, textarea")) input.disabled = editor.hidden;
    }
  }

  // Each part's field as a form part; a file input adds each file chosen, an empty text field nothing.
  function multipartBody(editor) {
    const data = new FormData();
    for (const input of editor.querySelectorAll("input[name^='part.']")) {
      const name = input.name.slice(5);
      if (input.type === "file") for (const file of input.files ?? []) data.append(name, file);
      else if (input.value !== "") data.append(name, input.value);
    }
    return data;
  }

  function formFields(form) {
    const fields = [];
    for (const element of form.elements) {
      // The body is read from its editor, and the media type chooser is no field of the request.
      if (!element.name || element.name.startsWith("auth.") || element.disabled || element.closest("[data-body-for]") || element.name === "content-type")
        continue;
      fields.push([element.name, element.value]);
    }
    return fields;
  }

  function formCredentials(form) {
    const value = (name) => form.elements.namedItem(name)?.value ?? "";
    const credentials = [];
    for (const input of form.querySelectorAll("input[name='auth.apiKey']")) {
      credentials.push({ kind: "apiKey", in: input.dataset.in, name: input.dataset.name, value: input.value });
    }
    if (form.querySelector("[name='auth.bearer']")) credentials.push({ kind: "bearer", value: value("auth.bearer") });
    if (form.querySelector("[name='auth.basic.user']")) {
      credentials.push({ kind: "basic", user: value("auth.basic.user"), password: value("auth.basic.password") });
    }
    return credentials;
  }

  // Several apiKey inputs share the name auth.apiKey; the header or parameter
  // name they carry tells them apart, and the same scheme on another page reuses it.
  function storageKey(input) {
    return STORAGE_PREFIX + input.name + (input.dataset.name ? `.${input.dataset.name}` : "");
  }

  function rememberCredential(input) {
    try {
      if (input.value === "") sessionStorage.removeItem(storageKey(input));
      else sessionStorage.setItem(storageKey(input), input.value);
    } catch {
      // Storage can be disabled; the console still works, it just forgets.
    }
  }

  function restoreCredentials(form) {
    for (const input of form.querySelectorAll("input[name^='auth.']")) {
      try {
        const saved = sessionStorage.getItem(storageKey(input));
        if (saved !== null && input.value === "") input.value = saved;
      } catch {
        return;
      }
    }
  }

  function statusLine(request, response, elapsed) {
    // A manual redirect answers as an opaque response with status 0.
    const status = response.type === "opaqueredirect" ? "Redirect (not followed)" : `${response.status} ${response.statusText}`.trim();
    const line = message(`${status} \u00b7 ${request.method} ${request.url} \u00b7 ${elapsed} ms`, response.ok ? "ok" : "error");
    line.classList.add("try-it-status");
    return line;
  }

  function headerList(headers, isRateLimitHeader) {
    const list = document.createElement("dl");
    list.className = "try-it-headers";
    for (const [name, value] of headers) {
      const term = document.createElement("dt");
      const detail = document.createElement("dd");
      term.textContent = name;
      detail.textContent = value;
      // The limits are what a reader is usually checking, so they stand out.
      if (isRateLimitHeader(name)) {
        term.className = "rate-limit";
        detail.className = "rate-limit";
      }
      list.append(term, detail);
    }
    return list;
  }

  function bodyBlock(response, text, formatBody) {
    const pre = document.createElement("pre");
    const code = document.createElement("code");
    pre.className = "try-it-body";
    pre.tabIndex = 0; // scrollable regions must be reachable by keyboard
    code.textContent = text === "" ? "(empty body)" : formatBody(response.headers.get("content-type"), text);
    pre.append(code);
    return pre;
  }

  function message(text, kind) {
    const paragraph = document.createElement("p");
    paragraph.className = `try-it-${kind}`;
    paragraph.textContent = text;
    return paragraph;
  }

  function render(output, nodes) {
    if (output) output.replaceChildren(...nodes);
  }
})();
