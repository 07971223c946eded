import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDuration, GoTime, parseRFC3339 } from "./time.ts";
import { fixedZone, loadLocation } from "./zoneinfo.ts";

test("Duration.String (Go's durationTests)", () => {
  const cases: [bigint, string][] = [
    [0n, "0s"],
    [1n, "1ns"],
    [1100n, "1.1µs"],
    [2_200_000n, "2.2ms"],
    [3_300_000_000n, "3.3s"],
    [4n * 60_000_000_000n + 5_000_000_000n, "4m5s"],
    [4n * 60_000_000_000n + 5_001_000_000n, "4m5.001s"],
    [5n * 3_600_000_000_000n + 6n * 60_000_000_000n + 7_001_000_000n, "5h6m7.001s"],
    [8n * 60_000_000_000n + 1n, "8m0.000000001s"],
    [2n ** 63n - 1n, "2562047h47m16.854775807s"],
    [-(2n ** 63n), "-2562047h47m16.854775808s"],
    [-1100n, "-1.1µs"],
  ];
  for (const [d, want] of cases) assert.equal(formatDuration(d), want);
});

test("Time.Format with Go layouts", () => {
  const t = new GoTime(Date.parse("2009-02-04T21:00:57Z") / 1000, 12_345_600, fixedZone("PST", -8 * 3600));
  const cases: [string, string][] = [
    ["2006-01-02T15:04:05Z07:00", "2009-02-04T13:00:57-08:00"],
    ["Mon Jan _2 15:04:05 MST 2006", "Wed Feb  4 13:00:57 PST 2009"],
    ["Monday, 02-Jan-06 15:04:05 MST", "Wednesday, 04-Feb-09 13:00:57 PST"],
    ["3:04PM", "1:00PM"],
    ["03:04:05.000 pm", "01:00:57.012 pm"],
    ["15:04:05.999999999", "13:00:57.0123456"],
    [".000000|,999|.99", ".012345|,012|.01"],
    ["-0700 -07:00 -07 -070000 Z0700", "-0800 -08:00 -08 -080000 -0800"],
    ["002 __2 _2 2 1 01 Jan January", "035  35  4 4 2 02 Feb February"],
    ["January2006", "February2009"],
    ["Janet", "Janet"],
  ];
  for (const [layout, want] of cases) assert.equal(t.Format(layout), want, layout);
  assert.equal(new GoTime(0, 0).Format("Z07:00 MST"), "Z UTC");
  assert.equal(new GoTime(0, 0, fixedZone("", 3600 + 1800)).String(), "1970-01-01 01:30:00 +0130 +0130");
  assert.equal(GoTime.zero().String(), "0001-01-01 00:00:00 +0000 UTC");
});

test("RFC 3339 parsing as encoding/json does", () => {
  assert.equal(
    parseRFC3339("2026-11-22T09:21:09.509614306Z")!.String(),
    "2026-11-22 09:21:09.509614306 +0000 UTC",
  );
  assert.equal(parseRFC3339("2026-11-22T11:16:09.5+02:00")!.String(), "2026-11-22 11:16:09.5 +0200 +0200");
  assert.equal(parseRFC3339("0001-01-01T00:00:00Z")!.IsZero(), true);
  assert.equal(parseRFC3339("yesterday"), null);
});

test("IANA zones from the system tzdata, including POSIX footer rules", () => {
  // Expected values printed by amtool 0.33.1 (`tz` of the same instants).
  const at = (iso: string, zone: string) =>
    new GoTime(Date.parse(iso) / 1000, 0).In(loadLocation(zone)).String();
  assert.equal(at("2100-07-01T12:00:00Z", "Europe/Berlin"), "2100-07-01 14:00:00 +0200 CEST");
  assert.equal(at("2100-01-15T12:00:00Z", "America/New_York"), "2100-01-15 07:00:00 -0500 EST");
  assert.equal(at("2100-01-15T12:00:00Z", "Australia/Sydney"), "2100-01-15 23:00:00 +1100 AEDT");
  assert.equal(at("1900-06-01T00:00:00Z", "Europe/Berlin"), "1900-06-01 01:00:00 +0100 CET");
  assert.equal(at("1900-06-01T00:00:00Z", "Asia/Kolkata"), "1900-06-01 05:21:10 +0521 MMT");
  assert.equal(at("2038-03-28T01:30:00Z", "Europe/Berlin"), "2038-03-28 03:30:00 +0200 CEST");
  assert.equal(at("2038-03-28T01:30:00Z", "America/New_York"), "2038-03-27 21:30:00 -0400 EDT");
  assert.equal(at("2100-07-01T12:00:00Z", "Australia/Sydney"), "2100-07-01 22:00:00 +1000 AEST");
  assert.equal(at("1900-06-01T00:00:00Z", "America/New_York"), "1900-05-31 19:00:00 -0500 EST");
  assert.throws(() => loadLocation("Nope/Zone"), { message: "unknown time zone Nope/Zone" });
  assert.throws(() => loadLocation("../etc/passwd"), { message: "time: invalid location name" });
  assert.equal(loadLocation("UTC").name, "UTC");
});
