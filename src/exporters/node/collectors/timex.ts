import { createRequire } from "node:module";
import { type Collector, type CollectorContext, NoDataError } from "../collector.ts";
import { desc, type MetricSink } from "../metrics.ts";

const D = {
  offset: desc(
    "node_timex_offset_seconds",
    "Time offset in between local system and reference clock.",
    "gauge",
  ),
  freq: desc("node_timex_frequency_adjustment_ratio", "Local clock frequency adjustment.", "gauge"),
  maxerror: desc("node_timex_maxerror_seconds", "Maximum error in seconds.", "gauge"),
  esterror: desc("node_timex_estimated_error_seconds", "Estimated error in seconds.", "gauge"),
  status: desc("node_timex_status", "Value of the status array bits.", "gauge"),
  constant: desc("node_timex_loop_time_constant", "Phase-locked loop time constant.", "gauge"),
  tick: desc("node_timex_tick_seconds", "Seconds between clock ticks.", "gauge"),
  ppsFreq: desc("node_timex_pps_frequency_hertz", "Pulse per second frequency.", "gauge"),
  ppsJitter: desc("node_timex_pps_jitter_seconds", "Pulse per second jitter.", "gauge"),
  ppsShift: desc("node_timex_pps_shift_seconds", "Pulse per second interval duration.", "gauge"),
  ppsStabil: desc(
    "node_timex_pps_stability_hertz",
    "Pulse per second stability, average of recent frequency changes.",
    "gauge",
  ),
  ppsJitterCount: desc(
    "node_timex_pps_jitter_total",
    "Pulse per second count of jitter limit exceeded events.",
    "counter",
  ),
  ppsCalibration: desc(
    "node_timex_pps_calibration_total",
    "Pulse per second count of calibration intervals.",
    "counter",
  ),
  ppsError: desc("node_timex_pps_error_total", "Pulse per second count of calibration errors.", "counter"),
  ppsStbCount: desc(
    "node_timex_pps_stability_exceeded_total",
    "Pulse per second count of stability limit exceeded events.",
    "counter",
  ),
  tai: desc("node_timex_tai_offset_seconds", "International Atomic Time (TAI) offset.", "gauge"),
  sync: desc(
    "node_timex_sync_status",
    "Is clock synchronized to a reliable server (1 = yes, 0 = no).",
    "gauge",
  ),
};

/** The fields of the kernel's `struct timex` the collector reports, plus adjtimex's return value. */
export interface Timex {
  /** adjtimex(2)'s clock state; `TIME_ERROR` (5) means unsynchronised. */
  readonly state: number;
  readonly offset: number;
  readonly freq: number;
  readonly maxerror: number;
  readonly esterror: number;
  readonly status: number;
  readonly constant: number;
  readonly tick: number;
  readonly ppsfreq: number;
  readonly jitter: number;
  readonly shift: number;
  readonly stabil: number;
  readonly jitcnt: number;
  readonly calcnt: number;
  readonly errcnt: number;
  readonly stbcnt: number;
  readonly tai: number;
}

/** Reads the kernel's NTP state; throws when it cannot. Injectable for tests. */
export type TimexSource = () => Timex;

const TIME_ERROR = 5;
const STA_NANO = 0x2000;
/** Frequencies are in units of 2^-16 ppm. */
const PPM16FRAC = 1_000_000 * 65536;

/**
 * The `timex` collector: the kernel's NTP discipline state from adjtimex(2)
 * in read-only mode, converted to seconds and ratios as upstream.
 */
export function newTimexCollector(_ctx: CollectorContext, source: TimexSource = systemTimex): Collector {
  return {
    update(sink: MetricSink): void {
      const tx = source();
      // Offset and PPS jitter are nanoseconds when STA_NANO is set, else microseconds.
      const divisor = (tx.status & STA_NANO) !== 0 ? 1e9 : 1e6;
      sink.add(D.sync, tx.state === TIME_ERROR ? 0 : 1);
      sink.add(D.offset, tx.offset / divisor);
      sink.add(D.freq, 1 + tx.freq / PPM16FRAC);
      sink.add(D.maxerror, tx.maxerror / 1e6);
      sink.add(D.esterror, tx.esterror / 1e6);
      sink.add(D.status, tx.status);
      sink.add(D.constant, tx.constant);
      sink.add(D.tick, tx.tick / 1e6);
      sink.add(D.ppsFreq, tx.ppsfreq / PPM16FRAC);
      sink.add(D.ppsJitter, tx.jitter / divisor);
      sink.add(D.ppsShift, tx.shift);
      sink.add(D.ppsStabil, tx.stabil / PPM16FRAC);
      sink.add(D.ppsJitterCount, tx.jitcnt);
      sink.add(D.ppsCalibration, tx.calcnt);
      sink.add(D.ppsError, tx.errcnt);
      sink.add(D.ppsStbCount, tx.stbcnt);
      sink.add(D.tai, tx.tai);
    },
  };
}

/** Size of `struct timex` on 64-bit Linux (glibc and musl agree). */
export const TIMEX_SIZE = 208;

/** Decodes a 64-bit Linux `struct timex` (longs are 8 bytes, ints 4 and padded to 8 where a long follows). */
export function decodeTimex(state: number, buf: Buffer): Timex {
  const long = (offset: number): number => Number(buf.readBigInt64LE(offset));
  return {
    state,
    offset: long(8),
    freq: long(16),
    maxerror: long(24),
    esterror: long(32),
    status: buf.readInt32LE(40),
    constant: long(48),
    tick: long(88),
    ppsfreq: long(96),
    jitter: long(104),
    shift: buf.readInt32LE(112),
    stabil: long(120),
    jitcnt: long(128),
    calcnt: long(136),
    errcnt: long(144),
    stbcnt: long(152),
    tai: buf.readInt32LE(160),
  };
}

type Adjtimex = (buf: Buffer) => number;
let adjtimex: Adjtimex | Error | undefined;

/**
 * Node.js has no binding for adjtimex(2); it is called in libc through the
 * koffi FFI library, loaded on first use so that processes without the
 * timex collector never load the native addon.
 */
function loadAdjtimex(): Adjtimex | Error {
  if (process.platform !== "linux" || (process.arch !== "x64" && process.arch !== "arm64")) {
    return new NoDataError(`adjtimex is only read on 64-bit Linux, not ${process.platform}/${process.arch}`);
  }
  try {
    const koffi = createRequire(import.meta.url)("koffi") as typeof import("koffi");
    const libc = koffi.load("libc.so.6");
    return libc.func("int adjtimex(_Inout_ uint8_t *buf)") as Adjtimex;
  } catch (err) {
    return new NoDataError(`adjtimex is not reachable: ${(err as Error).message}`);
  }
}

/** adjtimex(2) with `modes` 0: reads the state, changes nothing, needs no privilege. */
export const systemTimex: TimexSource = () => {
  adjtimex ??= loadAdjtimex();
  if (adjtimex instanceof Error) throw adjtimex;
  const buf = Buffer.alloc(TIMEX_SIZE);
  const state = adjtimex(buf);
  if (state < 0) throw new Error(`adjtimex failed with ${state}`);
  return decodeTimex(state, buf);
};
