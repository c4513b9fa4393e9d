import { describe, expect, it } from "vitest";
import { anchorOfPeriod, parseAnchor, periodAt, type PeriodKind } from "./periods.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const period = (now: string, kind: PeriodKind, anchor?: string) => {
  const { start, end } = periodAt(at(now), kind, anchor === undefined ? undefined : parseAnchor(anchor));
  return [iso(start), iso(end)];
};

describe("calendar periods (UTC)", () => {
  it("a day runs from midnight to midnight; midnight itself opens the next day", () => {
    expect(period("2026-03-10T15:20:00Z", "day")).toEqual(["2026-03-10T00:00:00.000Z", "2026-03-11T00:00:00.000Z"]);
    expect(period("2026-03-10T23:59:59.999Z", "day")).toEqual(["2026-03-10T00:00:00.000Z", "2026-03-11T00:00:00.000Z"]);
    expect(period("2026-03-11T00:00:00.000Z", "day")).toEqual(["2026-03-11T00:00:00.000Z", "2026-03-12T00:00:00.000Z"]);
    expect(period("1969-12-31T12:00:00Z", "day")).toEqual(["1969-12-31T00:00:00.000Z", "1970-01-01T00:00:00.000Z"]);
  });

  it("a week is the ISO week: Monday 00:00 to Monday 00:00, across months and years", () => {
    // 2026-11-26 is a Thursday.
    expect(period("2026-11-26T10:00:00Z", "week")).toEqual(["2026-11-23T00:00:00.000Z", "2026-11-30T00:00:00.000Z"]);
    expect(period("2026-11-29T23:59:59.999Z", "week")).toEqual(["2026-11-23T00:00:00.000Z", "2026-11-30T00:00:00.000Z"]);
    expect(period("2026-11-30T00:00:00.000Z", "week")).toEqual(["2026-11-30T00:00:00.000Z", "2026-12-07T00:00:00.000Z"]);
    // 2027-01-01 is a Friday: its ISO week began in 2026.
    expect(period("2027-01-01T08:00:00Z", "week")).toEqual(["2026-12-28T00:00:00.000Z", "2027-01-04T00:00:00.000Z"]);
    expect(period("1970-01-01T00:00:00Z", "week")).toEqual(["1969-12-29T00:00:00.000Z", "1970-01-05T00:00:00.000Z"]);
  });

  it("a month runs from the 1st to the 1st, whatever its length, leap Februaries included", () => {
    expect(period("2026-02-14T12:00:00Z", "month")).toEqual(["2026-02-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z"]);
    expect(period("2028-02-29T23:59:59.999Z", "month")).toEqual(["2028-02-01T00:00:00.000Z", "2028-03-01T00:00:00.000Z"]);
    expect(period("2026-04-30T23:59:59.999Z", "month")).toEqual(["2026-04-01T00:00:00.000Z", "2026-05-01T00:00:00.000Z"]);
    expect(period("2026-12-31T23:59:59.999Z", "month")).toEqual(["2026-12-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"]);
    expect(period("2027-01-01T00:00:00.000Z", "month")).toEqual(["2027-01-01T00:00:00.000Z", "2027-02-01T00:00:00.000Z"]);
  });

  it("a period's length is what its calendar makes it: 28, 29, 30 and 31 days", () => {
    const days = (now: string) => {
      const { start, end } = periodAt(at(now), "month");
      return (end - start) / 86_400_000;
    };
    expect([days("2026-02-10T00:00:00Z"), days("2028-02-10T00:00:00Z"), days("2026-04-10T00:00:00Z"), days("2026-07-10T00:00:00Z")]).toEqual([28, 29, 30, 31]);
    expect(days("2100-02-10T00:00:00Z")).toBe(28); // not a leap year
    expect(days("2000-02-10T00:00:00Z")).toBe(29); // a leap year
  });
});

describe("anchored periods", () => {
  it("a consumer who signed up on the 15th resets monthly on the 15th at the sign-up time", () => {
    const anchor = "2025-06-15T09:30:00Z";
    expect(period("2026-03-20T00:00:00Z", "month", anchor)).toEqual(["2026-03-15T09:30:00.000Z", "2026-04-15T09:30:00.000Z"]);
    expect(period("2026-03-15T09:29:59.999Z", "month", anchor)).toEqual(["2026-02-15T09:30:00.000Z", "2026-03-15T09:30:00.000Z"]);
    expect(period("2026-03-15T09:30:00.000Z", "month", anchor)).toEqual(["2026-03-15T09:30:00.000Z", "2026-04-15T09:30:00.000Z"]);
    expect(period("2026-12-20T00:00:00Z", "month", anchor)).toEqual(["2026-12-15T09:30:00.000Z", "2027-01-15T09:30:00.000Z"]);
    expect(period("2026-01-10T00:00:00Z", "month", anchor)).toEqual(["2025-12-15T09:30:00.000Z", "2026-01-15T09:30:00.000Z"]);
  });

  it("an anchor on the 31st starts short months on their last day, and the next month on the 31st again", () => {
    const anchor = "2026-01-31";
    expect(period("2026-02-10T00:00:00Z", "month", anchor)).toEqual(["2026-01-31T00:00:00.000Z", "2026-02-28T00:00:00.000Z"]);
    expect(period("2026-02-28T00:00:00Z", "month", anchor)).toEqual(["2026-02-28T00:00:00.000Z", "2026-03-31T00:00:00.000Z"]);
    expect(period("2026-04-30T12:00:00Z", "month", anchor)).toEqual(["2026-04-30T00:00:00.000Z", "2026-05-31T00:00:00.000Z"]);
    expect(period("2028-02-29T00:00:00Z", "month", anchor)).toEqual(["2028-02-29T00:00:00.000Z", "2028-03-31T00:00:00.000Z"]);
    expect(period("2028-02-28T23:59:59.999Z", "month", anchor)).toEqual(["2028-01-31T00:00:00.000Z", "2028-02-29T00:00:00.000Z"]);
  });

  it("anchors on the 29th and 30th clamp in February only as far as needed", () => {
    expect(period("2026-02-28T01:00:00Z", "month", "2024-02-29")).toEqual(["2026-02-28T00:00:00.000Z", "2026-03-29T00:00:00.000Z"]);
    expect(period("2028-02-28T01:00:00Z", "month", "2024-02-29")).toEqual(["2028-01-29T00:00:00.000Z", "2028-02-29T00:00:00.000Z"]);
    expect(period("2026-03-05T00:00:00Z", "month", "2025-11-30")).toEqual(["2026-02-28T00:00:00.000Z", "2026-03-30T00:00:00.000Z"]);
  });

  it("a daily anchor keeps the time of day; a weekly one the weekday and time", () => {
    expect(period("2026-03-10T15:00:00Z", "day", "2025-01-01T18:00:00Z")).toEqual(["2026-03-09T18:00:00.000Z", "2026-03-10T18:00:00.000Z"]);
    expect(period("2026-03-10T18:00:00Z", "day", "2025-01-01T18:00:00Z")).toEqual(["2026-03-10T18:00:00.000Z", "2026-03-11T18:00:00.000Z"]);
    // 2025-01-01 was a Wednesday; 2026-11-26 is a Thursday.
    expect(period("2026-11-26T10:00:00Z", "week", "2025-01-01T06:00:00Z")).toEqual(["2026-11-25T06:00:00.000Z", "2026-12-02T06:00:00.000Z"]);
    expect(period("2026-11-25T05:59:59.999Z", "week", "2025-01-01T06:00:00Z")).toEqual(["2026-11-18T06:00:00.000Z", "2026-11-25T06:00:00.000Z"]);
  });

  it("an anchor in the future still sets the day and time the periods turn at", () => {
    expect(period("2026-03-20T00:00:00Z", "month", "2030-07-05")).toEqual(["2026-03-05T00:00:00.000Z", "2026-04-05T00:00:00.000Z"]);
  });

  it("reads ISO dates and date-times with a zone; anything else is no anchor", () => {
    expect(parseAnchor("2026-01-15")).toBe(at("2026-01-15T00:00:00Z"));
    expect(parseAnchor("2026-01-15T10:30:00+02:00")).toBe(at("2026-01-15T08:30:00Z"));
    expect(parseAnchor("2026-01-15T10:30Z")).toBe(at("2026-01-15T10:30:00Z"));
    for (const bad of ["2026-02-30", "15/01/2026", "January 15, 2026", "2026-01-15T10:30:00", "", 1736899200000, null, undefined, {}]) {
      expect(parseAnchor(bad), String(bad)).toBeUndefined();
    }
  });
});

describe("the anchor a recorded period was made with", () => {
  it("gives the same next periods, even for months shortened from the 29th to 31st", () => {
    const cases: Array<[PeriodKind, string, string]> = [
      ["month", "2026-01-31", "2026-02-10T00:00:00Z"],
      ["month", "2026-01-31", "2026-04-30T12:00:00Z"],
      ["month", "2025-11-30T08:00:00Z", "2026-02-28T09:00:00Z"],
      ["month", "2024-02-29", "2026-02-28T01:00:00Z"],
      ["month", "2025-06-15T09:30:00Z", "2026-03-20T00:00:00Z"],
      ["month", "2025-06-28", "2026-02-28T00:00:00Z"],
      ["week", "2025-01-01T06:00:00Z", "2026-11-26T10:00:00Z"],
      ["day", "2025-01-01T18:00:00Z", "2026-03-10T15:00:00Z"],
    ];
    for (const [kind, anchor, now] of cases) {
      const recorded = periodAt(at(now), kind, parseAnchor(anchor));
      const recovered = anchorOfPeriod(kind, recorded);
      // The next twelve periods after the recorded one agree.
      let instant = recorded.end;
      for (let i = 0; i < 12; i++) {
        const expected = periodAt(instant, kind, parseAnchor(anchor));
        expect(periodAt(instant, kind, recovered), `${kind} ${anchor} from ${now}, period ${i}`).toEqual(expected);
        instant = expected.end;
      }
    }
  });
});
