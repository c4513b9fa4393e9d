/**
 * @module
 * Where a YAML syntax error really is. The yaml package reports an error at the
 * offset where its parser noticed it, which for some mistakes is not where the
 * mistake is: a `{` or `[` never closed is reported at the first token of the
 * next line, a quote never closed at the end of the file, a key indented too
 * deep at the value of the line above, and a key indented too little at the
 * start of its line's indentation.
 */
import type { LineCounter, YAMLError } from "yaml";

export interface YamlErrorPlace {
  message: string;
  line: number;
  column: number;
}

export function placeOfYamlError(text: string, errors: readonly YAMLError[], lines: LineCounter): YamlErrorPlace {
  const first = errors[0];
  // Its message is the yaml package's first line, without the position it appends.
  let message = first.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  let offset = first.pos[0];
  const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
  // "Test\n   version: 1" reads as one key spanning two lines: the second line is the one indented too deep.
  const newline = text.indexOf("\n", offset);
  const spanning = newline >= 0 && errors.some((e) => e.code === "MULTILINE_IMPLICIT_KEY" && e.pos[0] === offset && e.pos[1] > newline);
  if (spanning) {
    offset = firstNonBlank(text, newline + 1);
    message = "This line is indented deeper than the line above it, so it reads as part of that line's value";
  } else if (quote) {
    offset = openingQuote(text, offset, quote);
  } else if (/end with an? [}\]]$/.test(message)) {
    offset = afterLastToken(text, offset);
  } else if (first.code !== "TAB_AS_INDENT" && /^ *$/.test(text.slice(text.lastIndexOf("\n", offset - 1) + 1, offset + 1))) {
    offset = firstNonBlank(text, offset);
  }
  const { line, col } = lines.linePos(offset);
  return { message, line, column: col };
}

/** The first character of the line at `offset` that is not a space. */
function firstNonBlank(text: string, offset: number): number {
  while (text[offset] === " ") offset++;
  return offset;
}

/** Just after the last character before `offset` that is not white space: where a missing `}`, `]` or `,` goes. */
export function afterLastToken(text: string, offset: number): number {
  let at = offset - 1;
  while (at > 0 && /\s/.test(text[at])) at--;
  return at + 1;
}

/** The quote that opens the scalar still open at `offset`: the last one before it that is not escaped. */
function openingQuote(text: string, offset: number, quote: string): number {
  for (let at = Math.min(offset, text.length) - 1; at >= 0; at--) {
    if (text[at] !== quote) continue;
    // Inside '…' a quote is written '', inside "…" as \".
    if (quote === "'" && text[at - 1] === "'") {
      at--;
      continue;
    }
    if (quote === '"' && /(^|[^\\])(\\\\)*\\$/.test(text.slice(Math.max(0, at - 16), at))) continue;
    return at;
  }
  return offset;
}
