// Copy buttons of the code samples, and the example choosers. Pages render every sample and
// every example, so all of it reads without JavaScript; this only adds the buttons and shows
// one example at a time. A large API's page links its later languages on the tag's samples
// page instead: opened, that link becomes their tabs, fetched from there. Loaded by try-it.js
// on pages that have any of these.

const COPIED_FOR_MS = 2000;

export function enhanceSamples(root) {
  for (const button of root.querySelectorAll("[data-copy]")) enableCopy(button);
  for (const later of root.querySelectorAll("details[data-later-samples]")) {
    later.addEventListener("toggle", () => later.open && loadLaterSamples(later), { once: true });
  }
  for (const select of root.querySelectorAll("[data-example-select]")) {
    const container = root.getElementById(select.getAttribute("aria-controls"));
    if (!container) continue;
    showExample(container, select.value);
    select.addEventListener("change", () => {
      showExample(container, select.value);
      fillTryItBody(root, container, select.value);
    });
  }
}

function enableCopy(button) {
  button.hidden = false;
  button.addEventListener("click", () => copy(button));
}

// The samples page has a section per operation, a heading and a <pre> per language: each becomes
// a tab like the page's own. If the fetch fails, the link stays, and reads the same samples there.
async function loadLaterSamples(later) {
  const link = later.querySelector("a[href]");
  if (!link) return;
  try {
    const url = new URL(link.href);
    const response = await fetch(url.href.replace(/#.*$/, ""));
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const section = page.getElementById(decodeURIComponent(url.hash.slice(1)));
    if (!section) return;
    const tabs = [...section.querySelectorAll("h3")].map((heading) =>
      sampleTab(later.ownerDocument, heading.textContent, heading.nextElementSibling?.textContent ?? ""),
    );
    if (!tabs.length) return;
    later.replaceWith(...tabs);
    tabs[0].open = true;
    tabs[0].querySelector("summary").focus();
  } catch {
    // The link stays.
  }
}

function sampleTab(document, label, code) {
  const tab = document.createElement("details");
  tab.className = "sample";
  const summary = document.createElement("summary");
  summary.textContent = label;
  const box = document.createElement("div");
  box.className = "sample-code";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "copy";
  button.dataset.copy = "";
  button.setAttribute("aria-label", `Copy the ${label} sample`);
  button.textContent = "Copy";
  const pre = document.createElement("pre");
  pre.append(document.createElement("code"));
  pre.firstChild.textContent = code;
  box.append(button, pre);
  tab.append(summary, box);
  enableCopy(button);
  return tab;
}

async function copy(button) {
  const code = button.parentElement.querySelector("pre code") ?? button.parentElement.querySelector("pre");
  const text = code?.textContent ?? "";
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch {
    copied = copyBySelection(code);
  }
  const label = button.textContent;
  button.textContent = copied ? "Copied" : "Select and copy";
  setTimeout(() => (button.textContent = label), COPIED_FOR_MS);
}

// Without the Clipboard API (a page served over plain HTTP from another host than localhost),
// the old way still works from a click: select the code and ask the browser to copy it.
function copyBySelection(code) {
  if (!code) return false;
  const range = document.createRange();
  range.selectNodeContents(code);
  const selection = getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}

function showExample(container, index) {
  for (const figure of container.querySelectorAll("figure[data-example]")) figure.hidden = figure.dataset.example !== index;
}

// A request example chosen above the try-it form becomes the body it sends, when the form edits that media type.
function fillTryItBody(root, container, index) {
  if (!container.closest("section[aria-labelledby='request-body']")) return;
  const mediaType = container.closest(".media")?.querySelector(".media-type code")?.textContent;
  const code = container.querySelector(`figure[data-example="${index}"] pre code`);
  if (!mediaType || !code) return;
  for (const editor of root.querySelectorAll("form[data-try-it] [data-body-for]")) {
    if (editor.dataset.bodyFor !== mediaType || editor.dataset.bodyKind !== "json") continue;
    const textarea = editor.querySelector("textarea[name=body]");
    if (textarea) textarea.value = code.textContent;
  }
}
