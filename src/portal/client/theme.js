// Light or dark: the reader's explicit choice (remembered), else the system's.
// Safe to load early in <head>: it sets data-theme before the body paints, to
// avoid a flash of the wrong theme, and adds the toggle once the DOM exists.
(() => {
  const STORAGE_KEY = "portico.theme";
  const root = document.documentElement;
  const systemDark = window.matchMedia?.("(prefers-color-scheme: dark)");

  const stored = () => {
    try {
      const value = localStorage.getItem(STORAGE_KEY);
      return value === "light" || value === "dark" ? value : null;
    } catch {
      return null; // storage disabled: follow the system
    }
  };
  const preferred = () => stored() ?? (systemDark?.matches ? "dark" : "light");

  const apply = (theme) => {
    root.dataset.theme = theme;
    for (const button of document.querySelectorAll("[data-theme-toggle]")) {
      button.setAttribute("aria-pressed", String(theme === "dark"));
    }
  };

  apply(preferred());
  // Until the reader chooses, a system switch (e.g. at sunset) is followed live.
  systemDark?.addEventListener?.("change", () => {
    if (stored() === null) apply(preferred());
  });

  // The switch is made here, not shipped in each of thousands of pages: it does nothing without this script.
  const make = () => {
    const header = document.querySelector(".site-header");
    if (!header || header.querySelector("[data-theme-toggle]")) return;
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.themeToggle = "";
    button.textContent = "Dark mode";
    header.append(button);
  };

  const bind = () => {
    make();
    for (const button of document.querySelectorAll("[data-theme-toggle]")) {
      button.addEventListener("click", () => {
        const next = root.dataset.theme === "dark" ? "light" : "dark";
        try {
          localStorage.setItem(STORAGE_KEY, next);
        } catch {
          // Not remembered, but still switched for this page.
        }
        apply(next);
      });
    }
    apply(root.dataset.theme ?? preferred());
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bind, { once: true });
  else bind();
})();
