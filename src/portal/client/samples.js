// Copy buttons of the code samples, and the example choosers. Pages render every sample and
// every example, so all of it reads without JavaScript; this only adds the buttons and shows
// one example at a time. Loaded by try-it.js on pages that have either.

const COPIED_FOR_MS = 2000;

export function enhanceSamples(root) {
  for (const button of root.querySelectorAll("[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", () => copy(button));
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
