/**
 * `time_intervals` (and the deprecated `mute_time_intervals`): named lists
 * of `timeinterval.TimeInterval`, decoded with the parsers of
 * `../timeinterval` and printed back as upstream marshals them
 * (`weekdays: ['monday:friday', sunday]`, months as numbers).
 */
import { isScalar, type Node } from "yaml";
import {
  configError,
  FlowSeq,
  isNullNode,
  list,
  object,
  optionalList,
  type Schema,
  type Site,
  scalarText,
  str,
  typeErrorReason,
} from "../../config/decode.ts";
import {
  formatClock,
  formatInclusiveRange,
  formatWeekdayRange,
  type InclusiveRange,
  parseDayOfMonthRange,
  parseLocation,
  parseMonthRange,
  parseTimeRange,
  parseWeekdayRange,
  parseYearRange,
  type TimeInterval,
  type TimeRange,
} from "../timeinterval/timeinterval.ts";
import type { NamedTimeIntervals } from "./types.ts";
import { FlowScalar } from "./yaml_flow.ts";

/** A range scalar; null reads as Go's zero range (0:0), as yaml.v2 skips the unmarshaler for null. */
function rangeSchema(
  typeName: string,
  parse: (s: string) => InclusiveRange,
  format: (r: InclusiveRange) => string,
): Schema<InclusiveRange> {
  return {
    typeName,
    decode(node, ctx, path) {
      if (isNullNode(node)) return { begin: 0, end: 0 };
      if (!isScalar(node)) throw configError(ctx, node, path, typeErrorReason(node as Node, "string"));
      try {
        return parse(scalarText(node));
      } catch (err) {
        throw configError(ctx, node, path, (err as Error).message, err);
      }
    },
    encode: format,
  };
}

const timeRangeFields = object<{ start_time: string; end_time: string }>("timeinterval.yamlTimeRange", {
  start_time: { schema: str, omit: "never" },
  end_time: { schema: str, omit: "never" },
});

const timeRangeSchema: Schema<TimeRange> = {
  typeName: "timeinterval.TimeRange",
  decode(node, ctx, path) {
    const y = timeRangeFields.decode(node, ctx, path);
    try {
      return parseTimeRange(y.start_time, y.end_time);
    } catch (err) {
      throw configError(ctx, node, path, (err as Error).message, err);
    }
  },
  encode: (r) => ({ start_time: formatClock(r.startMinute), end_time: formatClock(r.endMinute) }),
};

function flowList(
  elem: Schema<InclusiveRange>,
  goType: string,
): Schema<readonly InclusiveRange[] | undefined> {
  const inner = optionalList(elem, { typeName: goType });
  return {
    ...inner,
    encode: (v) => (v === undefined ? undefined : new FlowSeq(v.map((r) => elem.encode(r)))),
  };
}

const locationSchema: Schema<string | undefined> = {
  typeName: "timeinterval.Location",
  decode(node, ctx, path) {
    if (isNullNode(node)) return undefined;
    if (!isScalar(node)) throw configError(ctx, node, path, typeErrorReason(node as Node, "string"));
    try {
      return parseLocation(scalarText(node));
    } catch (err) {
      throw configError(ctx, node, path, (err as Error).message, err);
    }
  },
  // `yaml:"location,flow"`: a flow tag on a scalar, which leaks (see yaml_flow.ts).
  encode: (v) => (v === undefined ? undefined : new FlowScalar(v)),
};

/** One `timeinterval.TimeInterval`. */
export const timeIntervalSchema: Schema<TimeInterval> = object<TimeInterval>("timeinterval.TimeInterval", {
  times: {
    schema: optionalList(timeRangeSchema, { typeName: "[]timeinterval.TimeRange" }),
    default: undefined,
  },
  weekdays: {
    schema: flowList(
      rangeSchema("timeinterval.WeekdayRange", parseWeekdayRange, formatWeekdayRange),
      "[]timeinterval.WeekdayRange",
    ),
    default: undefined,
  },
  days_of_month: {
    schema: flowList(
      rangeSchema("timeinterval.DayOfMonthRange", parseDayOfMonthRange, formatInclusiveRange),
      "[]timeinterval.DayOfMonthRange",
    ),
    default: undefined,
  },
  months: {
    schema: flowList(
      rangeSchema("timeinterval.MonthRange", parseMonthRange, formatInclusiveRange),
      "[]timeinterval.MonthRange",
    ),
    default: undefined,
  },
  years: {
    schema: flowList(
      rangeSchema("timeinterval.YearRange", parseYearRange, formatInclusiveRange),
      "[]timeinterval.YearRange",
    ),
    default: undefined,
  },
  location: { schema: locationSchema, omit: "nil", default: undefined },
});

function named(missing: string): Schema<NamedTimeIntervals> {
  return object<NamedTimeIntervals>(
    "config.plain",
    {
      name: { schema: str, omit: "never" },
      time_intervals: { schema: list(timeIntervalSchema), omit: "never" },
    },
    {
      finish: (d: Record<string, unknown>, site: Site) => {
        if (d.name === "") throw site.error(missing, "name");
        return d as unknown as NamedTimeIntervals;
      },
    },
  );
}

/** A `time_intervals` entry. */
export const timeIntervalsSchema: Schema<NamedTimeIntervals> = named("missing name in time interval");
/** A `mute_time_intervals` entry (deprecated spelling). */
export const muteTimeIntervalsSchema: Schema<NamedTimeIntervals> = named(
  "missing name in mute time interval",
);
