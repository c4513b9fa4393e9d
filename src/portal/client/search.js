// Client-side search over the index built with the portal: the index is
// fetched once, on first focus, so pages that are only read never load it.
// Also the one script every page runs after load, so it completes the
// sidebar's list of the page's tag and scrolls it to the page's own entry.
// A classic script, wrapped so its names stay out of the page's global scope.
(() => {
  const nav = document.querySelector(".site-nav");
  // The sidebar scrolls in its own box: a long tag's list may hold the page's entry below its fold.
  const scrollToCurrent = () => {
    const current = nav?.querySelector('[aria-current="page"]');
    if (nav && current && nav.scrollHeight > nav.clientHeight) nav.scrollTop = current.offsetTop - nav.clientHeight / 3;
  };
  scrollToCurrent();
  // A large API's page lists only itself under its tag (navigation.ts): the others are on the tag's page.
  const cut = nav?.querySelector(".open > ul[data-tag-operations]");
  if (cut) completeTag(cut).then(scrollToCurrent, () => {}); // the tag's link still leads to them

  // currentScript is only set while the script first runs: read it now.
  const here = document.currentScript?.src ?? location.href;
  // The matching is a module the Node tests import too; dynamic import reaches
  // it from this classic deferred script.
  const matching = import(new URL("./search-match.js", here).href);
  matching.catch(() => {}); // reported when a search needs it, not before

  // Ranked matches kept; shown a page at a time, the rest behind "more".
  const MAX_RESULTS = 200;
  const SHOWN_AT_FIRST = 8;
  const MORE_AT_A_TIME = 20;
  // Enough to tell two results apart; the index holds more for matching.
  const TEXT_SHOWN = 120;

  const forms = [...document.querySelectorAll("form[data-search]")];
  for (const form of forms) {
    const input = form.querySelector("input[name=q]");
    // The results' list is made here, not shipped empty in each of thousands of pages.
    const results = form.querySelector("[data-search-results]") ?? form.parentElement.querySelector("[data-search-results]") ?? resultsList(form);
    if (input && results) wire(form, input, results);
  }

  // "/" (outside a field) and Ctrl-K or Cmd-K go to the search box, as on GitHub, Stripe and MDN.
  document.addEventListener("keydown", (event) => {
    const input = forms[0]?.querySelector("input[name=q]");
    if (!input || event.defaultPrevented || event.altKey) return;
    const chord = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k";
    const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !typing(event.target);
    if (!chord && !slash) return;
    event.preventDefault();
    input.focus();
    input.select();
  });

  function typing(target) {
    return target instanceof Element && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
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
        results.querySelector("a, button")?.focus();
      } else if (event.key === "Escape") {
        clear(input, results);
      }
    });
    results.addEventListener("keydown", (event) => {
      const items = [...results.querySelectorAll("a, button")];
      const at = items.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at >= 0) {
        event.preventDefault();
        items[Math.min(at + 1, items.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        (at === 0 ? input : items[at - 1]).focus();
      } else if (event.key === "Escape") {
        clear(input, results);
        input.focus();
      }
      // Enter on a focused link follows it natively.
    });
  }

  // The tag's operations as its page lists them (pages.ts operationList), as the sidebar lists them:
  // by title, else by path (past 80 characters a summary is no title: site.ts operationTitle).
  async function completeTag(list) {
    const tag = list.parentElement.querySelector(":scope > a");
    const response = await fetch(tag.href);
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const items = [...page.querySelectorAll("main .operation-list > li")].map((entry) => {
      const source = entry.querySelector(":scope > a");
      const url = new URL(source.getAttribute("href"), tag.href);
      const summary = entry.querySelector(":scope > span")?.textContent.trim() ?? "";
      const link = document.createElement("a");
      link.href = url.pathname;
      link.className = `op ${/method-(\w+)/.exec(source.querySelector(".method")?.className ?? "")?.[1] ?? ""}`;
      link.textContent = summary && summary.length <= 80 ? summary : (source.querySelector(".path")?.textContent ?? "");
      if (url.pathname === location.pathname) link.setAttribute("aria-current", "page");
      const item = document.createElement("li");
      item.append(link);
      return item;
    });
    // Only a list that holds this page replaces the one that does.
    if (items.some((item) => item.firstChild.hasAttribute("aria-current"))) list.replaceChildren(...items);
  }

  function resultsList(form) {
    const list = document.createElement("ul");
    list.dataset.searchResults = "";
    list.setAttribute("aria-label", "Search results");
    form.append(list);
    return list;
  }

  function indexUrl(form) {
    if (form.dataset.index) return form.dataset.index;
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
    results.replaceChildren(...matches.slice(0, SHOWN_AT_FIRST).map(resultItem));
    showMore(results, matches, SHOWN_AT_FIRST);
  }

  // The next results behind a button at the end of the list; focus moves to the first of them.
  function showMore(results, matches, shown) {
    if (shown >= matches.length) return;
    const item = document.createElement("li");
    const button = document.createElement("button");
    const next = Math.min(MORE_AT_A_TIME, matches.length - shown);
    item.className = "search-more";
    button.type = "button";
    button.textContent = `Show ${next} more of ${matches.length - shown}`;
    button.addEventListener("click", () => {
      const added = matches.slice(shown, shown + next).map(resultItem);
      item.replaceWith(...added);
      added[0].querySelector("a").focus();
      showMore(results, matches, shown + next);
    });
    item.append(button);
    results.append(item);
  }

  function resultItem(entry) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    const kind = document.createElement("span");
    link.href = entry.url;
    link.textContent = entry.title;
    kind.className = "search-kind";
    kind.textContent = entry.kind;
    item.append(link, " ", kind);
    const route = entry.path ? `${entry.method ?? ""} ${entry.path}`.trim() : "";
    const text = [route, entry.text].filter(Boolean).join(" \u00b7 ");
    if (text) {
      const small = document.createElement("small");
      small.textContent = text.length > TEXT_SHOWN ? `${text.slice(0, TEXT_SHOWN)}\u2026` : text;
      item.append(" ", small);
    }
    return item;
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
