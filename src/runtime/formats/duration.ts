/**
 * @module
 * ISO 8601 durations as RFC 3339's Appendix A writes them, for the duration
 * format: its units follow one another without a gap, so ajv-formats'
 * pattern is too loose in taking "P1Y1D" (years, then days) or "PT1H1S".
 */

const DURATION_TIME = "T(?:\\d+H(?:\\d+M(?:\\d+S)?)?|\\d+M(?:\\d+S)?|\\d+S)";
const DURATION = new RegExp(`^P(?:(?:\\d+D|\\d+M(?:\\d+D)?|\\d+Y(?:\\d+M(?:\\d+D)?)?)(?:${DURATION_TIME})?|${DURATION_TIME}|\\d+W)$`);

export function duration(value: string): boolean {
  return DURATION.test(value);
}
