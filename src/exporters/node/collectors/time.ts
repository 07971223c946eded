import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Collector, CollectorContext } from "../collector.ts";
import { globDir, tryReadAttr } from "../files.ts";
import { desc, type MetricSink } from "../metrics.ts";

const D = {
  now: desc("node_time_seconds", "System time in seconds since epoch (1970).", "gauge"),
  zone: desc("node_time_zone_offset_seconds", "System time zone offset in seconds.", "gauge", ["time_zone"]),
  available: desc(
    "node_time_clocksource_available_info",
    "Available clocksources read from '/sys/devices/system/clocksource'.",
    "gauge",
    ["device", "clocksource"],
  ),
  current: desc(
    "node_time_clocksource_current_info",
    "Current clocksource read from '/sys/devices/system/clocksource'.",
    "gauge",
    ["device", "clocksource"],
  ),
};

/** Clock and zone, injectable for tests. */
export interface TimeSource {
  /** Milliseconds since the epoch, fractional allowed. */
  nowMs(): number;
  /** Offset east of UTC in seconds and the zone's abbreviation at `ms`. */
  zone(ms: number): { readonly name: string; readonly offsetSeconds: number };
}

/**
 * The `time` collector: the system clock, the local zone's abbreviation and
 * offset (as Go's `time.Now().Zone()`), and the clocksources in sysfs.
 */
export function newTimeCollector(ctx: CollectorContext, source: TimeSource = systemTime): Collector {
  const root = join(ctx.paths.sysfs, "devices/system/clocksource");
  return {
    update(sink: MetricSink): void {
      const ms = source.nowMs();
      sink.add(D.now, ms / 1000);
      const zone = source.zone(ms);
      sink.add(D.zone, zone.offsetSeconds, zone.name);
      for (const dir of globDir(root, /^clocksource[0-9]/)) {
        const device = dir.slice("clocksource".length);
        for (const cs of (tryReadAttr(join(root, dir, "available_clocksource")) ?? "").split(/\s+/)) {
          if (cs !== "") sink.add(D.available, 1, device, cs);
        }
        const current = tryReadAttr(join(root, dir, "current_clocksource"));
        if (current) sink.add(D.current, 1, device, current);
      }
    },
  };
}

/** The process clock with the zone Go would report: `$TZ` or /etc/localtime. */
export const systemTime: TimeSource = {
  nowMs: () => Date.now(),
  zone(ms) {
    const offsetSeconds = -new Date(ms).getTimezoneOffset() * 60;
    return { name: zoneAbbreviation(offsetSeconds), offsetSeconds };
  },
};

let footer: PosixZone | undefined | null = null;

/**
 * The zone abbreviation in effect for `offsetSeconds`, from the POSIX TZ
 * footer of the zoneinfo file Go would load (`$TZ` under /usr/share/zoneinfo,
 * else /etc/localtime): the standard name when the offset is the standard
 * one, else the daylight name. "UTC" when no zone file is set, as Go.
 */
export function zoneAbbreviation(offsetSeconds: number): string {
  if (footer === null) footer = loadZoneFooter();
  if (footer === undefined) return offsetSeconds === 0 ? "UTC" : formatOffset(offsetSeconds);
  if (footer.dst === undefined || offsetSeconds === footer.stdOffset) return footer.std;
  return footer.dst;
}

interface PosixZone {
  readonly std: string;
  /** Seconds east of UTC. */
  readonly stdOffset: number;
  readonly dst?: string;
}

function loadZoneFooter(): PosixZone | undefined {
  const tz = process.env.TZ;
  if (tz === "") return { std: "UTC", stdOffset: 0 };
  const file = tz === undefined ? "/etc/localtime" : join("/usr/share/zoneinfo", tz.replace(/^:/, ""));
  try {
    const bytes = readFileSync(file);
    const text = bytes.subarray(bytes.lastIndexOf(10, bytes.length - 2) + 1).toString("latin1");
    return parsePosixTz(text.trim());
  } catch {
    return tz === undefined ? { std: "UTC", stdOffset: 0 } : undefined;
  }
}

/** Parses the zone names and standard offset of a POSIX TZ string (`CET-1CEST,M3.5.0,…`, `<+03>-3`). */
export function parsePosixTz(text: string): PosixZone | undefined {
  const m = /^(<[^>]+>|[A-Za-z]{3,})([+-]?\d{1,2})(?::(\d{2}))?(?::\d{2})?(<[^>]+>|[A-Za-z]{3,})?/.exec(text);
  if (m === null) return undefined;
  const strip = (s: string): string => s.replace(/^<|>$/g, "");
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0) * Math.sign(hours || 1);
  const std = strip(m[1]!);
  const stdOffset = -(hours * 3600 + minutes * 60) || 0;
  return m[4] === undefined ? { std, stdOffset } : { std, stdOffset, dst: strip(m[4]) };
}

function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? "-" : "+";
  const abs = Math.abs(seconds);
  const h = String(Math.floor(abs / 3600)).padStart(2, "0");
  const m = Math.floor((abs % 3600) / 60);
  return m === 0 ? `${sign}${h}` : `${sign}${h}${String(m).padStart(2, "0")}`;
}
