/**
 * The `promtool test rules` file format (upstream's `unitTestFile`), decoded
 * strictly with the config combinators; errors are reworded the way
 * yaml.v2's `UnmarshalStrict` prints them (`yaml: unmarshal errors:\n  line
 * 5: field foo not found in type main.testGroup`).
 */
import { readFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import {
  bool,
  ConfigError,
  decodeYAML,
  duration,
  float,
  list,
  map,
  object,
  str,
} from "../../config/decode.ts";
import { goFileError } from "../../config/file.ts";

/** One input series: a series selector and its values (`0+10x100`). */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** An expected alert. */
export interface ExpAlert {
  readonly exp_labels: Readonly<Record<string, string>>;
  readonly exp_annotations: Readonly<Record<string, string>>;
}

export interface AlertTestCase {
  /** ms from the start of the test. */
  readonly eval_time: number;
  readonly alertname: string;
  readonly exp_alerts: readonly ExpAlert[];
}

export interface ExpSample {
  /** A series selector with equality matchers only, e.g. `up{job="a"}`. */
  readonly labels: string;
  readonly value: number;
  readonly histogram: string;
}

export interface PromQLTestCase {
  readonly expr: string;
  readonly eval_time: number;
  readonly exp_samples: readonly ExpSample[];
}

/** A group of tests sharing input series. */
export interface TestGroup {
  /** Step of the input series, ms (0: the evaluation interval). */
  readonly interval: number;
  readonly input_series: readonly InputSeries[];
  readonly alert_rule_test: readonly AlertTestCase[];
  readonly promql_expr_test: readonly PromQLTestCase[];
  readonly external_labels: Readonly<Record<string, string>>;
  readonly external_url: string;
  readonly name: string;
}

export interface UnitTestFile {
  readonly rule_files: readonly string[];
  /** ms (0: 1m). */
  readonly evaluation_interval: number;
  readonly group_eval_order: readonly string[];
  readonly tests: readonly TestGroup[];
  readonly fuzzy_compare: boolean;
}

const strMap = map(str);

const testGroup = object<TestGroup>("main.testGroup", {
  interval: { schema: duration },
  input_series: {
    schema: list(object<InputSeries>("main.series", { series: { schema: str }, values: { schema: str } })),
  },
  alert_rule_test: {
    schema: list(
      object<AlertTestCase>("main.alertTestCase", {
        eval_time: { schema: duration },
        alertname: { schema: str },
        exp_alerts: {
          schema: list(
            object<ExpAlert>("main.alert", {
              exp_labels: { schema: strMap },
              exp_annotations: { schema: strMap },
            }),
          ),
        },
      }),
    ),
  },
  promql_expr_test: {
    schema: list(
      object<PromQLTestCase>("main.promqlTestCase", {
        expr: { schema: str },
        eval_time: { schema: duration },
        exp_samples: {
          schema: list(
            object<ExpSample>("main.sample", {
              labels: { schema: str },
              value: { schema: float },
              histogram: { schema: str },
            }),
          ),
        },
      }),
    ),
  },
  external_labels: { schema: strMap },
  external_url: { schema: str },
  name: { schema: str },
});

const unitTestFile = object<UnitTestFile>("main.unitTestFile", {
  rule_files: { schema: list(str) },
  evaluation_interval: { schema: duration },
  group_eval_order: { schema: list(str) },
  tests: { schema: list(testGroup) },
  fuzzy_compare: { schema: bool },
});

/** yaml.v2's wording: type errors listed under `yaml: unmarshal errors:`, others alone. */
function v2Message(err: ConfigError): string {
  if (/^(field .* (not found|already set) in type|cannot unmarshal|key .* already set)/.test(err.reason)) {
    return `yaml: unmarshal errors:\n  line ${err.line}: ${err.reason}`;
  }
  return err.reason;
}

/** Reads and decodes a unit test file; throws an Error with promtool's message. */
export async function readUnitTestFile(path: string): Promise<UnitTestFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new Error(goFileError(path, err));
  }
  try {
    return decodeYAML(text, unitTestFile, path, ".").value;
  } catch (err) {
    if (err instanceof ConfigError) throw new Error(v2Message(err), { cause: err });
    throw err;
  }
}

/** Upstream's path handling: relative rule files are joined with the test file's directory. */
export function resolveRuleFile(baseDir: string, file: string): string {
  return file !== "" && !isAbsolute(file) ? join(baseDir, file) : file;
}
