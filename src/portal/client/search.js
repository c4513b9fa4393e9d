// Client-side search over the index built with the portal: the index is
// fetched once, on first focus, so pages that are only read never load it.
// A classic script, wrapped so its names stay out of the page's global scope.
(() => {
  // currentScript is only set while the script first runs: read it now.
  const here = document.currentScript?.src ?? location.href;
  // The matching is a module the Node tests import too; dynamic import reaches
  // it from this classic deferred script.
  const matching = import(new URL("./search-match.js", here).href);
  matching.catch(() => {}); // reported when a search needs it, not before

  const MAX_RESULTS = 20;
  // Enough to tell two results apart; the index holds more for matching.
  const TEXT_SHOWN = 140;

  for (const form of document.querySelectorAll("form[data-search]")) {
    const input = form.querySelector("input[name=q]");
    // The results list sits beside the form in the header, not inside it.
    const results = form.parentElement.querySelector("[data-search-results]");
    if (input && results) wire(form, input, results);
  }

  function wire(form, input, results) {
    let index;
    const load = () => {
      index ??= fetch(indexUrl(form)).then((response) => {
        if (!response.ok) throw new Error(`search-index.json answered ${response.status}`);
        return response.json();
      });
      // Forgotten on failure, so the next keystroke tries again.
      index.catch(() => (index = undefined));
      return index;
    };
    const update = async () => {
      const query = input.value;
      try {
        const [entries, { matchSearchIndex }] = await Promise.all([load(), matching]);
        // A slower earlier answer must not overwrite the results of what is typed now.
        if (query === input.value) showResults(results, query, matchSearchIndex(entries, query, MAX_RESULTS));
      } catch (error) {
        showMessage(results, `Search is unavailable: ${error.message}.`);
      }
    };

    // Loaded early so the first keystroke finds the index already there.
    input.addEventListener("focus", () => load().catch(() => {}), { once: true });
    input.addEventListener("input", update);
    // Without JavaScript the form submits to the home page with ?q=; with it,
    // that link (or a shared one) opens with the results already shown.
    const shared = new URLSearchParams(location.search).get("q");
    if (shared) {
      input.value = shared;
      update();
    }
    // Without this the form would submit and reload the page with ?q=.
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      results.querySelector("a")?.click();
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        results.querySelector("a")?.focus();
      } else if (event.key === "Escape") {
        clear(input, results);
      }
    });
    results.addEventListener("keydown", (event) => {
      const links = [...results.querySelectorAll("a")];
      const at = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at >= 0) {
        event.preventDefault();
        links[Math.min(at + 1, links.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        (at === 0 ? input : links[at - 1]).focus();
      } else if (event.key === "Escape") {
        clear(input, results);
        input.focus();
      }
      // Enter on a focused link follows it natively.
    });
  }

  function indexUrl(form) {
    const base = form.dataset.base;
    if (base !== undefined) return `${base.replace(/\/+$/, "")}/search-index.json`;
    // This file is served from <basePath>/assets/, so the index is one level up.
    return new URL("../search-index.json", here).href;
  }

  function showResults(results, query, matches) {
    if (query.trim() === "") {
      results.replaceChildren();
      return;
    }
    if (matches.length === 0) {
      showMessage(results, `No results for \u201c${query.trim()}\u201d.`);
      return;
    }
    results.replaceChildren(
      ...matches.map((entry) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        const kind = document.createElement("span");
        link.href = entry.url;
        link.textContent = entry.title;
        kind.className = "search-kind";
        kind.textContent = entry.kind;
        item.append(link, " ", kind);
        if (entry.text) {
          const text = document.createElement("small");
          text.textContent = entry.text.length > TEXT_SHOWN ? `${entry.text.slice(0, TEXT_SHOWN)}\u2026` : entry.text;
          item.append(" ", text);
        }
        return item;
      }),
    );
  }

  function showMessage(results, text) {
    const item = document.createElement("li");
    item.className = "search-empty";
    item.textContent = text;
    results.replaceChildren(item);
  }

  function clear(input, results) {
    input.value = "";
    results.replaceChildren();
  }
})();
