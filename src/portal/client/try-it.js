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

  for (const form of document.querySelectorAll("form[data-try-it]")) {
    restoreCredentials(form);
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
    const request = buildTryItRequest({
      method: form.dataset.method,
      path: form.dataset.path,
      server: form.dataset.server,
      fields: formFields(form),
      credentials: formCredentials(form),
    });
    if (request.missing.length > 0) {
      render(output, [message(`Fill in the path parameter${request.missing.length > 1 ? "s" : ""}: ${request.missing.join(", ")}.`, "error")]);
      return;
    }
    const notes = request.notes.map((note) => message(note, "note"));
    const submit = form.querySelector("[type=submit]");
    if (submit) submit.disabled = true;
    render(output, [...notes, message(`Sending ${request.method} ${request.url} \u2026`, "note")]);
    const started = performance.now();
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
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
      if (submit) submit.disabled = false;
    }
  }

  function formFields(form) {
    const fields = [];
    for (const element of form.elements) {
      if (!element.name || element.name.startsWith("auth.") || element.disabled) continue;
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
