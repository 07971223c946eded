/**
 * Top-level sections Alertmanager 0.33 accepts but Vigil does not act on:
 * `tracing` (OpenTelemetry export) and `event_recorder` (the experimental
 * event log). They are decoded strictly at their first level and printed back.
 */
import { bool, duration, float, list, map, object, type Schema, str } from "../../config/decode.ts";
import { tlsConfigSchema } from "../../config/httpclient.ts";
import { anyValue } from "./common.ts";

/** `tracing`, as upstream's `tracing.TracingConfig`. */
export const tracingSchema: Schema<Readonly<Record<string, unknown>>> = object("tracing.plain", {
  client_type: { schema: str, default: "grpc" },
  endpoint: { schema: str },
  sampling_fraction: { schema: float },
  insecure: { schema: bool },
  tls_config: { schema: tlsConfigSchema, omit: "nil", default: undefined },
  headers: { schema: map(str) },
  compression: { schema: str },
  timeout: { schema: duration },
});

/** `event_recorder`: its output lists kept as data. */
export const eventRecorderSchema: Schema<Readonly<Record<string, unknown>>> = object("eventrecorder.Config", {
  file_outputs: { schema: list(anyValue) },
  kafka_outputs: { schema: list(anyValue) },
  webhook_outputs: { schema: list(anyValue) },
});
