import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Intervener } from "./intervener.ts";
import {
  containsTime,
  formatClock,
  formatInclusiveRange,
  formatWeekdayRange,
  parseDayOfMonthRange,
  parseMonthRange,
  parseTimeRange,
  parseWeekdayRange,
  parseYearRange,
  type TimeInterval,
} from "./timeinterval.ts";
import { daysInMonth, loadLocation } from "./zone.ts";

const range = (begin: number, end = begin) => ({ begin, end });

// Upstream's documented examples (timeinterval tests): intervals with instants inside and outside.
const CONTAINS: ReadonlyArray<{ name: string; ti: TimeInterval; inside: string[]; outside: string[] }> = [
  {
    name: "empty interval matches everything",
    ti: {},
    inside: ["2006-01-02T15:04Z", "2007-01-03T10:04Z", "2006-01-04T09:04Z"],
    outside: [],
  },
  {
    name: "9am to 5pm, monday to friday",
    ti: { times: [{ startMinute: 540, endMinute: 1020 }], weekdays: [range(1, 5)] },
    inside: ["2020-05-04T15:04Z", "2020-05-05T10:04Z", "2020-06-09T09:04Z"],
    outside: ["2020-05-03T15:04Z", "2020-05-04T08:59Z", "2020-05-05T05:00Z"],
  },
  {
    name: "Easter 2020",
    ti: { days_of_month: [range(4, 6)], months: [range(4)], years: [range(2020)] },
    inside: ["2020-04-04T15:04Z", "2020-04-05T00:00Z", "2020-04-06T23:05Z"],
    outside: [
      "2018-05-03T15:04Z",
      "2020-04-03T23:59Z",
      "2020-06-04T23:59Z",
      "2019-04-06T23:59Z",
      "2020-04-07T00:00Z",
    ],
  },
  {
    name: "last three days of each month",
    ti: { days_of_month: [range(-3, -1)] },
    inside: [
      "2020-01-31T15:04Z",
      "2020-01-30T15:04Z",
      "2020-01-29T15:04Z",
      "2020-06-30T00:00Z",
      "2020-02-29T23:05Z",
    ],
    outside: ["2018-05-03T15:04Z", "2020-01-27T15:04Z", "2020-04-03T23:59Z", "2020-03-01T00:00Z"],
  },
  {
    name: "out-of-bound days clamp to the month",
    ti: { months: [range(6)], days_of_month: [range(-31, 31)] },
    inside: ["2020-06-30T00:00Z", "2020-06-01T00:00Z"],
    outside: ["2020-05-31T00:00Z", "2020-07-01T00:00Z"],
  },
  {
    name: "AEST business hours",
    ti: {
      times: [{ startMinute: 540, endMinute: 1020 }],
      weekdays: [range(1, 5)],
      location: "Australia/Sydney",
    },
    inside: ["2021-04-06T13:00+10:00"],
    outside: ["2021-04-06T13:00Z"],
  },
  {
    name: "Sydney during daylight saving",
    ti: {
      times: [{ startMinute: 540, endMinute: 1020 }],
      weekdays: [range(1, 5)],
      months: [range(11)],
      location: "Australia/Sydney",
    },
    inside: ["2021-11-01T09:00+11:00", "2021-10-31T22:00Z"],
    outside: ["2021-10-31T21:00Z"],
  },
  {
    name: "weekdays, times, days, years and months together",
    ti: {
      weekdays: [range(1, 3), range(6), range(0)],
      times: [{ startMinute: 780, endMinute: 900 }],
      days_of_month: [range(1), range(10), range(20, -1)],
      years: [range(2020, 2023)],
      months: [range(1, 3)],
    },
    inside: ["2021-01-10T13:00Z", "2021-01-30T14:24Z"],
    outside: ["2021-01-09T13:00Z", "2021-01-20T12:59Z", "2021-02-02T13:00Z"],
  },
  {
    name: "a start day after the end of the month does not clamp",
    ti: { days_of_month: [range(30, 31)], years: [range(2020, 2023)], months: [range(2)] },
    inside: [],
    outside: ["2021-02-28T13:00Z"],
  },
  {
    name: "an empty list matches nothing",
    ti: { times: [] },
    inside: [],
    outside: ["2021-02-28T13:00Z"],
  },
];

describe("containsTime", () => {
  for (const c of CONTAINS) {
    it(c.name, () => {
      for (const t of c.inside) assert.equal(containsTime(c.ti, new Date(t)), true, `${t} inside`);
      for (const t of c.outside) assert.equal(containsTime(c.ti, new Date(t)), false, `${t} outside`);
    });
  }
});

describe("parsing", () => {
  const ERRORS: ReadonlyArray<[() => unknown, string]> = [
    [() => parseTimeRange("01:99", "23:59"), "couldn't parse timestamp 01:99, invalid format"],
    [() => parseTimeRange("00:00", "99:99"), "couldn't parse timestamp 99:99, invalid format"],
    [() => parseTimeRange("17:31", "17:31"), "start time cannot be equal or greater than end time"],
    [() => parseTimeRange("14:03", ""), "both start and end times must be provided"],
    [() => parseWeekdayRange("friday:monday"), "start day cannot be before end day"],
    [() => parseWeekdayRange("blurgsday:flurgsday"), "blurgsday is not a valid weekday"],
    [() => parseWeekdayRange("1:3"), "1 is not a valid weekday"],
    [() => parseWeekdayRange("a:b:c"), "couldn't parse range a:b:c, invalid format"],
    [() => parseDayOfMonthRange("0"), "0 is not a valid day of the month: out of range"],
    [() => parseDayOfMonthRange("-50:-20"), "-50 is not a valid day of the month: out of range"],
    [() => parseDayOfMonthRange("1:50"), "50 is not a valid day of the month: out of range"],
    [() => parseDayOfMonthRange("-15:5"), "end day must be negative if start day is negative"],
    [() => parseDayOfMonthRange("10:-25"), "end day -25 is always before start day 10"],
    [() => parseDayOfMonthRange("x"), 'strconv.Atoi: parsing "x": invalid syntax'],
    [() => parseMonthRange("martius:june"), "martius is not a valid month"],
    [() => parseMonthRange("december:january"), "end month january is before start month december"],
    [() => parseYearRange("2022:2020"), "end year 2020 is before start year 2022"],
    [() => loadLocation("Foo/Bar"), "unknown time zone Foo/Bar"],
    [() => loadLocation("../etc"), "time: invalid location name"],
  ];
  for (const [f, message] of ERRORS) it(`refuses: ${message}`, () => assert.throws(f, { message }));

  it("accepts and prints upstream's forms", () => {
    assert.deepEqual(parseTimeRange("00:00", "24:00"), { startMinute: 0, endMinute: 1440 });
    assert.deepEqual(parseTimeRange("01:35", "17:39"), { startMinute: 95, endMinute: 1059 });
    assert.equal(formatClock(1059), "17:39");
    assert.equal(formatWeekdayRange(parseWeekdayRange("Monday:FRIDAY")), "monday:friday");
    assert.equal(formatWeekdayRange(parseWeekdayRange("sunday")), "sunday");
    assert.equal(formatInclusiveRange(parseMonthRange("January:december")), "1:12");
    assert.equal(formatInclusiveRange(parseMonthRange("may")), "5");
    assert.equal(formatInclusiveRange(parseDayOfMonthRange("1:-1")), "1:-1");
    assert.deepEqual(parseYearRange("2030"), range(2030));
    assert.equal(loadLocation(""), "UTC");
    assert.equal(loadLocation("Australia/Sydney"), "Australia/Sydney");
  });
});

describe("daysInMonth", () => {
  it("counts whole days, one less in a month that springs forward (as upstream)", () => {
    assert.equal(daysInMonth(2020, 2, "UTC"), 29);
    assert.equal(daysInMonth(2021, 2, "UTC"), 28);
    assert.equal(daysInMonth(2024, 12, "UTC"), 31);
    assert.equal(daysInMonth(2024, 3, "Europe/Berlin"), 30);
    assert.equal(daysInMonth(2024, 10, "Europe/Berlin"), 31);
  });
});

describe("Intervener", () => {
  const iv = new Intervener(
    new Map([
      ["weekends", [{ weekdays: [range(0), range(6)] }]],
      ["never", [{ times: [] }]],
    ]),
  );
  it("reports which named intervals contain an instant", () => {
    assert.deepEqual(iv.mutes(["never", "weekends"], new Date("2024-06-01T12:00Z")), {
      matched: true,
      names: ["weekends"],
    });
    assert.equal(iv.mutes(["weekends"], new Date("2024-06-03T12:00Z")).matched, false);
  });
  it("refuses an unknown name", () => {
    assert.throws(() => iv.mutes(["nope"], 0), { message: "time interval nope doesn't exist in config" });
  });
});
