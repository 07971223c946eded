/**
 * Alertmanager's template data (`template/template.go` in prometheus/alertmanager) as
 * Go-typed template values: `Data`, `Alerts` (`Firing`, `Resolved`), `Alert`, `KV`
 * (`SortedPairs`, `Names`, `Values`, `Remove`, `String`), `Pairs` and `Pair`, plus
 * {@link buildData}, upstream's `Template.Data` over plain alerts.
 */

import { compareUTF8 } from "../model/labels/strings.ts";
import { GO_JSON } from "./gojson.ts";
import { GoTime, parseRFC3339 } from "./time.ts";
import { GO_TYPE, type GoTypeInfo, typedSlice } from "./values.ts";

/** One label or annotation. */
export class Pair {
  static readonly [GO_TYPE]: GoTypeInfo = { name: "template.Pair" };
  readonly Name: string;
  readonly Value: string;
  constructor(name: string, value: string) {
    this.Name = name;
    this.Value = value;
  }
}

/** A sorted list of pairs. */
export class Pairs extends Array<Pair> {
  static readonly [GO_TYPE]: GoTypeInfo = { name: "template.Pairs" };
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  Names(): string[] {
    return typedSlice(
      Array.from(this, (p) => p.Name),
      "string",
    );
  }
  Values(): string[] {
    return typedSlice(
      Array.from(this, (p) => p.Value),
      "string",
    );
  }
  String(): string {
    return Array.from(this, (p) => `${p.Name}=${p.Value}`).join(", ");
  }
}

/** Alertmanager's `KV` (`map[string]string` with methods). */
export class KV extends Map<string, string> {
  static readonly [GO_TYPE]: GoTypeInfo = { name: "template.KV", elem: "string" };

  /** A KV from a plain record. */
  static of(rec: Readonly<Record<string, string>> | ReadonlyMap<string, string>): KV {
    return new KV(rec instanceof Map ? [...rec] : Object.entries(rec));
  }

  /** Pairs sorted by name, `alertname` first. */
  SortedPairs(): Pairs {
    const keys = [...this.keys()];
    const rest = keys.filter((k) => k !== "alertname").sort(compareUTF8);
    const ordered = keys.includes("alertname") ? ["alertname", ...rest] : rest;
    const pairs = new Pairs();
    for (const k of ordered) pairs.push(new Pair(k, this.get(k)!));
    return pairs;
  }

  /** A copy without the given keys. */
  Remove(keys: readonly string[] | undefined): KV {
    const drop = new Set(keys ?? []);
    return new KV([...this].filter(([k]) => !drop.has(k)));
  }

  Names(): string[] {
    return this.SortedPairs().Names();
  }

  Values(): string[] {
    return this.SortedPairs().Values();
  }

  String(): string {
    return this.SortedPairs().String();
  }
}

/** One alert of a notification. */
export class Alert {
  static readonly [GO_TYPE]: GoTypeInfo = { name: "template.Alert" };
  static readonly [GO_JSON] = {
    Status: "status",
    Labels: "labels",
    Annotations: "annotations",
    StartsAt: "startsAt",
    EndsAt: "endsAt",
    GeneratorURL: "generatorURL",
    Fingerprint: "fingerprint",
  };
  Status = "";
  Labels: KV = new KV();
  Annotations: KV = new KV();
  StartsAt: GoTime = GoTime.zero();
  EndsAt: GoTime = GoTime.zero();
  GeneratorURL = "";
  Fingerprint = "";
}

/** A list of alerts with `Firing()` and `Resolved()`. */
export class Alerts extends Array<Alert> {
  static readonly [GO_TYPE]: GoTypeInfo = { name: "template.Alerts" };
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  Firing(): Alert[] {
    return typedSlice(
      Array.from(this).filter((a) => a.Status === "firing"),
      "template.Alert",
    );
  }
  Resolved(): Alert[] {
    return typedSlice(
      Array.from(this).filter((a) => a.Status === "resolved"),
      "template.Alert",
    );
  }
}

/** The data notification templates execute with. */
export class Data {
  static readonly [GO_TYPE]: GoTypeInfo = { name: "template.Data" };
  static readonly [GO_JSON] = {
    Receiver: "receiver",
    Status: "status",
    Alerts: "alerts",
    NotificationReason: "notification_reason",
    GroupLabels: "groupLabels",
    CommonLabels: "commonLabels",
    CommonAnnotations: "commonAnnotations",
    ExternalURL: "externalURL",
  };
  Receiver = "";
  Status = "";
  Alerts: Alerts = new Alerts();
  NotificationReason = "";
  GroupLabels: KV = new KV();
  CommonLabels: KV = new KV();
  CommonAnnotations: KV = new KV();
  ExternalURL = "";
}

/** An alert as the dispatcher holds it. Times are ms since the epoch (0 = unset). */
export interface PlainAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAtMs: number;
  readonly endsAtMs: number;
  readonly generatorURL: string;
}

/** Inputs of {@link buildData}. */
export interface DataInput {
  readonly receiver: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly alerts: readonly PlainAlert[];
  readonly externalURL: string;
  readonly notificationReason?: string;
  /** "Now" for deciding resolved alerts, ms (default `Date.now()`). */
  readonly nowMs?: number;
}

const FNV_OFFSET = 14695981039346656037n;
const FNV_PRIME = 1099511628211n;
const MASK = (1n << 64n) - 1n;

/** Prometheus' label set fingerprint (FNV-1a 64 over sorted name/value pairs) as 16 hex digits. */
export function labelSetFingerprint(labels: Readonly<Record<string, string>>): string {
  let h = FNV_OFFSET;
  const add = (bytes: Uint8Array) => {
    for (const b of bytes) h = ((h ^ BigInt(b)) * FNV_PRIME) & MASK;
  };
  for (const name of Object.keys(labels).sort(compareUTF8)) {
    add(Buffer.from(name, "utf8"));
    add(Uint8Array.of(255));
    add(Buffer.from(labels[name], "utf8"));
    add(Uint8Array.of(255));
  }
  return h.toString(16).padStart(16, "0");
}

/** Go's `regexp.QuoteMeta`. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, (c) => `\\${c}`);
}

function resolved(a: PlainAlert, now: number): boolean {
  return a.endsAtMs !== 0 && a.endsAtMs <= now;
}

function common(records: readonly Readonly<Record<string, string>>[]): KV {
  const out = new KV();
  if (records.length === 0) return out;
  for (const [k, v] of Object.entries(records[0])) if (records.every((r) => r[k] === v)) out.set(k, v);
  return out;
}

function toGoTime(ms: number): GoTime {
  return ms === 0 ? GoTime.zero() : GoTime.fromMillis(ms);
}

/** Upstream's `Template.Data(recv, groupLabels, reason, alerts...)`. */
export function buildData(input: DataInput): Data {
  const now = input.nowMs ?? Date.now();
  const d = new Data();
  d.Receiver = quoteMeta(input.receiver);
  d.Status = input.alerts.some((a) => !resolved(a, now)) ? "firing" : "resolved";
  d.NotificationReason = input.notificationReason ?? "";
  d.ExternalURL = input.externalURL;
  for (const a of input.alerts) {
    const alert = new Alert();
    alert.Status = resolved(a, now) ? "resolved" : "firing";
    alert.Labels = KV.of(a.labels);
    alert.Annotations = KV.of(a.annotations);
    alert.StartsAt = toGoTime(a.startsAtMs);
    alert.EndsAt = toGoTime(a.endsAtMs);
    alert.GeneratorURL = a.generatorURL;
    alert.Fingerprint = labelSetFingerprint(a.labels);
    d.Alerts.push(alert);
  }
  d.GroupLabels = KV.of(input.groupLabels);
  d.CommonLabels = common(input.alerts.map((a) => a.labels));
  d.CommonAnnotations = common(input.alerts.map((a) => a.annotations));
  return d;
}

type Json = Record<string, unknown>;

function kvFromJSON(v: unknown): KV {
  return KV.of((v ?? {}) as Record<string, string>);
}

function timeFromJSON(v: unknown): GoTime {
  return typeof v === "string" ? (parseRFC3339(v) ?? GoTime.zero()) : GoTime.zero();
}

/** `template.Data` from its JSON form (what `amtool template render --template.data` reads). */
export function dataFromJSON(json: Json): Data {
  const d = new Data();
  d.Receiver = String(json.receiver ?? "");
  d.Status = String(json.status ?? "");
  d.NotificationReason = String(json.notification_reason ?? "");
  d.GroupLabels = kvFromJSON(json.groupLabels);
  d.CommonLabels = kvFromJSON(json.commonLabels);
  d.CommonAnnotations = kvFromJSON(json.commonAnnotations);
  d.ExternalURL = String(json.externalURL ?? "");
  for (const a of (json.alerts ?? []) as Json[]) {
    const alert = new Alert();
    alert.Status = String(a.status ?? "");
    alert.Labels = kvFromJSON(a.labels);
    alert.Annotations = kvFromJSON(a.annotations);
    alert.StartsAt = timeFromJSON(a.startsAt);
    alert.EndsAt = timeFromJSON(a.endsAt);
    alert.GeneratorURL = String(a.generatorURL ?? "");
    alert.Fingerprint = String(a.fingerprint ?? "");
    d.Alerts.push(alert);
  }
  return d;
}
