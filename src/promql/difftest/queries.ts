/**
 * The differential test's queries, generated from templates × the dataset's
 * metrics and parameters (see ./dataset.ts for the metrics). Deterministic:
 * the same list every run.
 */
import { DATE_FUNCTIONS } from "../functions/date.ts";

export interface DiffQuery {
  query: string;
  /** The instant result's order is meaningful (top-level sort, sort_desc, ungrouped topk/bottomk). */
  ordered: boolean;
}

const COUNTERS = [
  "dt_http_requests_total",
  'dt_http_requests_total{code="500"}',
  'dt_http_requests_total{code=~"2..|4..",method!="PUT"}',
  "dt_cpu_seconds_total",
  "dt_errors_total",
];
const AGGS = ["sum", "avg", "min", "max", "count", "stddev", "stdvar", "group"];
const BUCKETS = "dt_request_duration_seconds_bucket";

/** All queries for a dataset spanning `[startMs, endMs]` (used for `@` modifiers). */
export function generateQueries(startMs: number, endMs: number): DiffQuery[] {
  const out: DiffQuery[] = [];
  const seen = new Set<string>();
  const q = (query: string, ordered = false): void => {
    if (seen.has(query)) return;
    seen.add(query);
    out.push({ query, ordered });
  };
  const mid = Math.round((startMs + endMs) / 2 / 1000);
  const early = Math.round(startMs / 1000) + 1800;

  // Aggregations, with and without grouping.
  for (const agg of AGGS) {
    for (const m of ["dt_temperature_celsius", "dt_memory_bytes", "dt_queue_length"]) {
      q(`${agg}(${m})`);
      q(`${agg} by (instance) (${m})`);
      q(`${agg} without (instance) (${m})`);
    }
    q(`${agg} by (instance) (dt_sessions)`);
    q(`${agg}(dt_weird)`);
    q(`${agg} by (job) (rate(dt_http_requests_total[5m]))`);
  }
  q("sum by (instance, kind) (dt_memory_bytes)");
  q("sum by () (dt_memory_bytes)");
  q("sum without () (dt_up)");
  q("sum by (nonexistent) (dt_up)");
  q("avg without (cpu, mode) (rate(dt_cpu_seconds_total[5m]))");
  q("count by (__name__) (dt_memory_bytes)");
  q("max by (code) (dt_http_requests_total) - min by (code) (dt_http_requests_total)");
  for (const k of ["topk", "bottomk"]) {
    for (const m of ["dt_temperature_celsius", "dt_memory_bytes", "dt_queue_length", "dt_weird"]) {
      q(`${k}(3, ${m})`, true);
      q(`${k} by (instance) (1, ${m})`);
    }
    q(`${k}(2, rate(dt_http_requests_total[5m]))`, true);
    q(`${k}(0, dt_up)`);
    q(`${k}(100, dt_ratio)`, true);
    q(`${k} without (zone) (2, dt_temperature_celsius)`);
    q(`${k}(scalar(count(dt_build_info)) - 2, dt_memory_bytes)`, true);
  }
  for (const phi of ["0", "0.25", "0.5", "0.9", "1", "-0.5", "1.5"]) {
    q(`quantile(${phi}, dt_temperature_celsius)`);
  }
  q("quantile by (instance) (0.75, dt_memory_bytes)");
  q("quantile without (queue) (0.5, dt_queue_length)");
  q("quantile(0.5, dt_weird)");
  q('count_values("value", dt_queue_length)');
  q('count_values by (instance) ("qlen", dt_queue_length)');
  q('count_values("version", dt_build_info)');
  q('count_values without (instance) ("v", dt_up)');
  q('count_values("value", dt_weird)');

  // Range-vector functions over counters.
  for (const fn of ["rate", "irate", "increase", "resets", "changes"]) {
    for (const m of COUNTERS) {
      for (const r of ["1m", "5m"]) q(`${fn}(${m}[${r}])`);
    }
  }
  q("rate(dt_http_requests_total[17m])");
  q("increase(dt_cpu_seconds_total[1h])");
  q("rate(dt_cpu_seconds_total[30s])");
  q("irate(dt_cpu_seconds_total[45s])");
  q("sum by (job, code) (increase(dt_http_requests_total[10m]))");
  // Range-vector functions over gauges.
  const gaugeFns = [
    "delta",
    "idelta",
    "deriv",
    "changes",
    "avg_over_time",
    "min_over_time",
    "max_over_time",
    "sum_over_time",
    "count_over_time",
    "last_over_time",
    "stddev_over_time",
    "stdvar_over_time",
    "present_over_time",
  ];
  for (const fn of gaugeFns) {
    for (const m of ["dt_temperature_celsius", "dt_queue_length", "dt_sessions", "dt_weird"])
      q(`${fn}(${m}[5m])`);
    q(`${fn}(dt_memory_bytes[1m])`);
  }
  for (const phi of ["0", "0.5", "0.9", "1", "2"])
    q(`quantile_over_time(${phi}, dt_temperature_celsius[10m])`);
  q("quantile_over_time(0.5, dt_weird[10m])");
  for (const m of ["dt_memory_bytes", "dt_temperature_celsius", "dt_sessions"]) {
    q(`predict_linear(${m}[10m], 600)`);
    q(`predict_linear(${m}[5m], -300)`);
  }
  q("deriv(dt_cpu_seconds_total[10m])");

  // Classic histograms.
  for (const phi of ["0", "0.5", "0.9", "0.99", "1"]) {
    q(`histogram_quantile(${phi}, sum by (le) (rate(${BUCKETS}[5m])))`);
  }
  q(`histogram_quantile(0.9, sum by (le, job) (rate(${BUCKETS}[5m])))`);
  q(`histogram_quantile(0.5, sum by (le, instance) (rate(${BUCKETS}[10m])))`);
  q(`histogram_quantile(0.9, rate(${BUCKETS}[5m]))`);
  q(`histogram_quantile(0.95, ${BUCKETS})`);
  q(`histogram_quantile(1.5, sum by (le) (rate(${BUCKETS}[5m])))`);
  q(`histogram_quantile(0.5, sum by (job) (rate(${BUCKETS}[5m])))`);
  q("rate(dt_request_duration_seconds_sum[5m]) / rate(dt_request_duration_seconds_count[5m])");
  q(
    "sum by (job) (rate(dt_request_duration_seconds_sum[5m])) / sum by (job) (rate(dt_request_duration_seconds_count[5m]))",
  );

  // Binary operators: vector/vector matching.
  q('dt_memory_bytes{kind="used"} / ignoring(kind) dt_memory_bytes{kind="free"}');
  q('dt_memory_bytes{kind="used"} / on(instance) dt_memory_bytes{kind="free"}');
  q("dt_memory_bytes * on(instance) group_left(version, region) dt_build_info");
  q("dt_build_info * on(instance) group_right dt_memory_bytes");
  q("dt_temperature_celsius + on(instance) group_left dt_build_info");
  q(
    'rate(dt_http_requests_total{code="500"}[5m]) / ignoring(code) rate(dt_http_requests_total{code="200"}[5m])',
  );
  q(
    'sum by (job, instance) (rate(dt_http_requests_total{code="500"}[5m])) / on(job, instance) sum by (job, instance) (rate(dt_http_requests_total[5m]))',
  );
  q("sum by (job) (rate(dt_http_requests_total[5m])) / on(job) group_left sum by (job, instance) (dt_up)");
  q("dt_memory_bytes + on(instance) dt_temperature_celsius");
  q("dt_memory_bytes - dt_memory_bytes");
  q("dt_up + dt_up");
  q("dt_up / dt_up offset 1m");
  q("dt_memory_bytes > on(instance, kind) group_left dt_memory_bytes offset 5m");
  q("dt_sessions * ignoring(user) group_left dt_build_info");
  // Set operators.
  q("dt_up == 1 and on(instance) dt_up");
  q("dt_memory_bytes and dt_temperature_celsius");
  q("dt_memory_bytes and on(instance) dt_temperature_celsius > 0");
  q("dt_memory_bytes or dt_temperature_celsius");
  q('dt_temperature_celsius{zone="inlet"} or dt_temperature_celsius{zone=~"in.*|out.*"}');
  q("dt_sessions unless dt_sessions offset 10m");
  q("dt_memory_bytes unless on(instance) dt_temperature_celsius < 0");
  q('dt_http_requests_total unless ignoring(code) dt_http_requests_total{code="500"}');
  q("(dt_up == 0) or vector(0)");
  // Comparisons, with and without bool.
  for (const op of ["==", "!=", ">", "<", ">=", "<="]) {
    q(`dt_temperature_celsius ${op} 0`);
    q(`dt_temperature_celsius ${op} bool 0`);
    q(`dt_queue_length ${op} on(instance, queue) dt_queue_length offset 1m`);
    q(`dt_queue_length ${op} bool on(instance, queue) dt_queue_length offset 1m`);
    q(`1 ${op} bool 2`);
    q(`0 ${op} dt_ratio`);
  }
  q("dt_weird > 0");
  q("dt_weird == bool dt_weird");
  // Scalar arithmetic.
  for (const op of ["+", "-", "*", "/", "%", "^", "atan2"]) {
    q(`dt_temperature_celsius ${op} 3`);
    q(`2 ${op} dt_queue_length`);
    q(`dt_ratio ${op} dt_ratio offset 30s`);
  }
  q("1 + 2 * 3 - 4 / 2 ^ 2 ^ 0.5");
  q("-2 ^ 2");
  q("-dt_temperature_celsius");
  q("+dt_temperature_celsius");
  q("5 % -3");
  q("dt_queue_length / 0");
  q("-dt_queue_length / 0");
  q("0 / 0");
  q("dt_memory_bytes / 1024 / 1024 > 2000");
  q("(dt_ratio - 0.5) * 2 % 0.3");

  // offset and @.
  q("dt_memory_bytes offset 10m");
  q("dt_memory_bytes offset -5m");
  q("rate(dt_http_requests_total[5m] offset 1h)");
  q("sum(dt_queue_length offset 2h)");
  q(`dt_memory_bytes @ ${mid}`);
  q(`rate(dt_http_requests_total[5m] @ ${early})`);
  q(`dt_memory_bytes @ ${mid} offset 10m`);
  q("dt_temperature_celsius @ start()");
  q("dt_temperature_celsius @ end()");
  q("max_over_time(dt_temperature_celsius[10m] @ end())");
  q(`dt_sessions @ ${early}`);
  q(`sum(dt_sessions @ ${mid}) by (user)`);
  q(`timestamp(dt_up @ ${mid})`);

  // Subqueries.
  q("max_over_time(rate(dt_http_requests_total[5m])[30m:1m])");
  q("avg_over_time(dt_temperature_celsius[10m:])");
  q("min_over_time(deriv(dt_memory_bytes[5m])[20m:2m] offset 5m)");
  q("rate(dt_http_requests_total[5m:30s])");
  q("sum_over_time(dt_queue_length[7m:45s])");
  q("max_over_time(sum by (job) (rate(dt_http_requests_total[2m]))[15m:15s])");
  q("count_over_time(dt_sessions[30m:1m])");
  q(`avg_over_time(dt_ratio[10m:1m] @ ${mid})`);
  q("last_over_time(dt_up[5m:1m])");
  q("deriv(sum(dt_queue_length)[10m:30s])");
  q("quantile_over_time(0.9, rate(dt_cpu_seconds_total[1m])[20m:1m])");
  q("max_over_time(max_over_time(dt_temperature_celsius[5m])[20m:5m])");

  // Label manipulation.
  q('label_replace(dt_up, "host", "$1", "instance", "(.*):.*")');
  q('label_replace(dt_up, "host", "$1", "instance", "nomatch(.*)")');
  q('label_replace(dt_up, "instance", "", "instance", ".*")');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: label_replace's own ${1} syntax
  q('label_replace(dt_memory_bytes, "kind2", "x-$1-${1}", "kind", "(c.*)")');
  q('label_replace(dt_up, "job", "same", "job", ".*")');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: label_replace's own ${1} syntax
  q('label_replace(rate(dt_http_requests_total[5m]), "code_class", "${1}xx", "code", "(.).*")');
  q('label_join(dt_build_info, "combo", "-", "version", "region")');
  q('label_join(dt_build_info, "combo", "", "instance")');
  q('label_join(dt_build_info, "version", ",", "region", "missing", "instance")');
  q('sum by (host) (label_replace(dt_memory_bytes, "host", "$1", "instance", "([^:]+):.*"))');

  // Math.
  for (const fn of ["abs", "ceil", "floor", "round", "exp", "ln", "log2", "log10", "sqrt", "sgn"]) {
    q(`${fn}(dt_temperature_celsius)`);
  }
  for (const fn of [
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "sinh",
    "cosh",
    "tanh",
    "asinh",
    "acosh",
    "atanh",
    "deg",
    "rad",
  ]) {
    q(`${fn}(dt_ratio)`);
  }
  q("exp(dt_memory_bytes)");
  q("ln(dt_weird)");
  q("round(dt_temperature_celsius, 0.5)");
  q("round(dt_temperature_celsius, 5)");
  q("round(dt_memory_bytes / 3, 1e6)");
  q("clamp(dt_temperature_celsius, -5, 5)");
  q("clamp(dt_temperature_celsius, 5, -5)");
  q("clamp_min(dt_temperature_celsius, 0)");
  q("clamp_max(dt_queue_length, 3)");
  q("pi()");
  q("pi() * 2");
  q("timestamp(dt_temperature_celsius)");
  q("timestamp(rate(dt_cpu_seconds_total[5m]))");
  q("scalar(sum(dt_up))");
  q("scalar(dt_up)");
  q("vector(1)");
  q("vector(time())");
  q("sum(dt_up) * scalar(count(dt_build_info))");

  // absent.
  q("absent(nonexistent)");
  q('absent(nonexistent{job="x", instance=~"a.*"})');
  q('absent(dt_up{job="nope"})');
  q("absent(dt_up)");
  q('absent(sum(dt_up{job="nope"}))');
  q('absent_over_time(dt_sessions{user="u0"}[10m])');
  q('absent_over_time(dt_sessions{user="u3", instance="node-1:9100"}[1m])');
  q('absent_over_time(nonexistent{job="a"}[5m])');
  q("absent_over_time(dt_up[5m])");

  // sort.
  q("sort(dt_temperature_celsius)", true);
  q("sort_desc(dt_memory_bytes)", true);
  q("sort(rate(dt_http_requests_total[5m]))", true);
  q("sort_desc(sum by (instance) (dt_queue_length))", true);
  q("sort(dt_weird)", true);

  // Time functions.
  q("time()");
  for (const [fn] of DATE_FUNCTIONS) {
    q(`${fn}()`);
    q(`${fn}(timestamp(dt_up))`);
  }
  q("hour(vector(1700000000))");
  q("minute(dt_temperature_celsius)");
  q("time() - timestamp(dt_sessions)");

  // Regex selectors.
  q('count({__name__=~"dt_.*"})');
  q('count by (__name__) ({__name__=~"dt_(cpu|memory).*"})');
  q('max({__name__=~"dt_mem.*", kind!~"free|cached"})');
  q('min(dt_http_requests_total{instance=~"api-.*", code!="200"})');
  q('count(dt_sessions{user=~"u[0-4]"})');
  q('count(dt_sessions{user!~"u[0-4]"}) by (instance)');
  q('max by (zone) (dt_temperature_celsius{zone=~".*let"})');
  q('dt_memory_bytes{kind=""}');
  q('count(dt_memory_bytes{nonexistent=""})');
  q('dt_up{instance=~"(?i)API-0.*"}');
  q('count({__name__=~"dt_http.*", code=~"5.."})');
  q('{__name__="dt_up", job="web"}');

  // Edge cases: NaN and Inf through operators, nesting, precedence, sparse data.
  q("dt_weird == dt_weird");
  q("dt_weird != bool dt_weird");
  q("sum_over_time(dt_weird[10m])");
  q("min_over_time(dt_weird[10m])");
  q("max_over_time(dt_weird[10m])");
  q("rate(dt_weird[5m])");
  q("deriv(dt_weird[10m])");
  q("topk(2, dt_weird) or bottomk(1, dt_weird)");
  q("dt_up or dt_temperature_celsius and dt_memory_bytes unless dt_queue_length");
  q("(dt_up or dt_temperature_celsius) and on(instance) dt_memory_bytes");
  q("dt_memory_bytes and on() dt_up");
  q("dt_sessions > on(instance) group_left max by (instance) (dt_sessions) * 0.5");
  q("dt_sessions * on(instance) group_left(region, missing) dt_build_info");
  q("irate(dt_sessions[30s])");
  q("deriv(dt_sessions[20s])");
  q("rate(dt_sessions[1m])");
  q("timestamp(dt_up offset 5m)");
  q("count_over_time(dt_sessions[10m] offset -10m)");
  q("dt_memory_bytes offset 1d");
  q('absent(nonexistent{job="x"} offset 1h)');
  q("vector(time()) % 3600 < 600");
  q("time() % 3600 > bool 600");
  q("scalar(dt_temperature_celsius)");
  q("sum without (__name__) (dt_memory_bytes)");
  q('max by (__name__) ({__name__=~"dt_(memory|queue).*"})');
  q("predict_linear(sum(dt_queue_length)[10m:1m], 300)");
  q("changes(dt_up[15m]) > 0");
  q("resets(dt_temperature_celsius[30m])");
  q("increase(dt_errors_total[2h])");
  q("rate(dt_http_requests_total[5m]) * 60 > 100");
  q("stddev by (job) (rate(dt_http_requests_total[5m]))");
  q("avg by (instance) (dt_weird)");
  q("quantile by (job) (0.5, rate(dt_http_requests_total[5m]))");
  q("sum(sum by (job) (rate(dt_http_requests_total[5m])))");
  q("-(-dt_temperature_celsius)");
  q("dt_temperature_celsius ^ 0.5");
  q("ln(-1) + dt_up");
  q("clamp(dt_weird, 0, 1)");
  q('label_replace(sum by (instance) (dt_queue_length), "instance", "$1", "instance", "node-(\\\\d+).*")');
  q("avg_over_time((dt_queue_length > 2)[15m:30s])");
  q("min_over_time(timestamp(dt_up)[10m:1m])");
  q("sum_over_time(dt_up[10m:1m] offset 1h)");
  q(`rate(dt_http_requests_total[5m] @ ${mid} offset -10m)`);
  q("max_over_time(dt_temperature_celsius[1h]) - min_over_time(dt_temperature_celsius[1h])");

  // Range vectors and literals as results (range queries of these fail).
  q("dt_up[2m]");
  q('"hello"');
  q("42");
  q("dt_temperature_celsius[5m] offset 1m");

  // Errors that both must report.
  q("sum(dt_up");
  q("rate(dt_up)");
  q("nonexistent_function(dt_up)");
  q("dt_up[5m] + 1");
  q('label_replace(dt_up, "invalid-name", "", "job", ".*")');
  q('label_replace(dt_up, "instance", "x", "job", ".*")');
  q("dt_up{}");
  q("{}");
  q('{job=~".*"}');
  q("limitk(2, dt_up)");
  q("topk(2.5, dt_up)");
  q('quantile("x", dt_up)');
  return out;
}
