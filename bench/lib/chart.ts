/**
 * @module
 * Horizontal bar charts as standalone SVG, for docs/benchmarks.md. Written by
 * hand: a chart here is a few rectangles, lines and labels, and a plotting
 * library would bring a browser or a canvas to draw them.
 */

export interface Bar {
  label: string;
  value: number;
  /** Shown after the bar instead of the value. */
  text?: string;
  tone: "baseline" | "portico" | "peer";
}

/** A dashed line across the bars, such as a target. */
export interface Mark {
  value: number;
  label: string;
}

export interface BarChart {
  title: string;
  /** Under the title: what the bars measure. */
  subtitle: string;
  bars: Bar[];
  marks?: Mark[];
  /** The value at the right edge; the largest bar or mark by default. */
  max?: number;
}

const TONES = { baseline: "#8a8f98", portico: "#2f6fdf", peer: "#d9822b" } as const;
const WIDTH = 760;
const LABEL_WIDTH = 260;
const PLOT_WIDTH = 400;
const ROW = 26;
const TOP = 78;

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function barChart(chart: BarChart): string {
  const marks = chart.marks ?? [];
  const max = chart.max ?? Math.max(...chart.bars.map((bar) => bar.value), ...marks.map((mark) => mark.value)) * 1.05;
  // A value beyond `max` fills the plot; its label still says what it is.
  const x = (value: number) => LABEL_WIDTH + (Math.min(Math.max(0, value), max) / max) * PLOT_WIDTH;
  const height = TOP + chart.bars.length * ROW + 36;
  const rows = chart.bars.map((bar, i) => {
    const y = TOP + i * ROW;
    return [
      `<text x="${LABEL_WIDTH - 10}" y="${y + 17}" text-anchor="end">${escape(bar.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${(x(bar.value) - LABEL_WIDTH).toFixed(1)}" height="${ROW - 8}" fill="${TONES[bar.tone]}"/>`,
      `<text x="${(x(bar.value) + 6).toFixed(1)}" y="${y + 17}">${escape(bar.text ?? String(bar.value))}</text>`,
    ].join("");
  });
  const bottom = TOP + chart.bars.length * ROW;
  const lines = marks.map(
    (mark) =>
      `<line x1="${x(mark.value).toFixed(1)}" y1="${TOP - 6}" x2="${x(mark.value).toFixed(1)}" y2="${bottom + 4}" stroke="#c0392b" stroke-dasharray="4 3"/>` +
      `<text x="${x(mark.value).toFixed(1)}" y="${TOP - 10}" text-anchor="middle" fill="#c0392b">${escape(mark.label)}</text>`,
  );
  const legend = (["baseline", "portico", "peer"] as const)
    .filter((tone) => chart.bars.some((bar) => bar.tone === tone))
    .map(
      (tone, i) =>
        `<rect x="${LABEL_WIDTH + i * 120}" y="${bottom + 16}" width="12" height="12" fill="${TONES[tone]}"/><text x="${LABEL_WIDTH + i * 120 + 18}" y="${bottom + 26}">${{ baseline: "baseline", portico: "Portico", peer: "hand-written peer" }[tone]}</text>`,
    );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="title desc" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="13" fill="#1d2330">
<title id="title">${escape(chart.title)}</title>
<desc id="desc">${escape(chart.subtitle)}: ${escape(chart.bars.map((bar) => `${bar.label} ${bar.text ?? bar.value}`).join("; "))}</desc>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="16" y="26" font-size="16" font-weight="600">${escape(chart.title)}</text>
<text x="16" y="46" fill="#4a5160">${escape(chart.subtitle)}</text>
<line x1="${LABEL_WIDTH}" y1="${TOP}" x2="${LABEL_WIDTH}" y2="${bottom}" stroke="#1d2330"/>
${[...rows, ...lines, ...legend].join("\n")}
</svg>
`;
}
