/**
 * The alerting defaults `vigil start` writes next to its generated
 * prometheus.yml: a rule file with the stack's basic alerts and an
 * alertmanager.yml routing everything to a receiver without integrations
 * (a "blackhole", as upstream's default config), saying how to add one.
 * `testdata/rules.yml` is a copy of {@link DEFAULT_RULES}, unit-tested by
 * `testdata/rules.test.yml` with `vigil test rules`.
 */

/** File name of the generated rule file (beside prometheus.yml). */
export const RULES_FILE = "rules.yml";
/** File name of the generated Alertmanager config. */
export const ALERTMANAGER_FILE = "alertmanager.yml";

/** The default alerting rules, in Prometheus' rule file format. */
export const DEFAULT_RULES = `# Written by \`vigil start\` on every start: edit a copy and list it in your prometheus.yml.
groups:
  - name: vigil-start
    rules:
      - alert: InstanceDown
        expr: up == 0
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: "Instance {{ $labels.instance }} is down"
          description: "{{ $labels.instance }} of job {{ $labels.job }} has not answered a scrape for more than 5 minutes."
      - alert: TargetScrapeFailures
        expr: avg_over_time(up[10m]) < 0.9
        for: 5m
        labels:
          severity: warning
        annotations:
          summary: "Scrapes of {{ $labels.instance }} are failing"
          description: "Only {{ $value | humanizePercentage }} of the scrapes of {{ $labels.instance }} (job {{ $labels.job }}) succeeded over the last 10 minutes."
      - alert: ScrapeLimitsExceeded
        expr: increase(prometheus_target_scrapes_exceeded_sample_limit_total[10m]) + increase(prometheus_target_scrapes_exceeded_body_size_limit_total[10m]) > 0
        labels:
          severity: warning
        annotations:
          summary: "Scrapes are rejected for exceeding their sample or body size limit"
          description: "{{ $value }} scrapes were rejected by {{ $labels.instance }} in the last 10 minutes: raise sample_limit / body_size_limit or drop series."
      - alert: DiskAlmostFull
        expr: node_filesystem_avail_bytes{fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay"} < 0.10
        for: 15m
        labels:
          severity: warning
        annotations:
          summary: "Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is almost full"
          description: "Only {{ $value | humanizePercentage }} of {{ $labels.mountpoint }} ({{ $labels.device }}) is free."
      - alert: HighMemoryUsage
        expr: node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes < 0.10
        for: 15m
        labels:
          severity: warning
        annotations:
          summary: "Memory of {{ $labels.instance }} is almost exhausted"
          description: "Only {{ $value | humanizePercentage }} of the memory of {{ $labels.instance }} is available."
`;

/** The default alertmanager.yml: everything goes to \`blackhole\`, which notifies nobody. */
export const DEFAULT_ALERTMANAGER_CONFIG = `# Written by \`vigil start\` on every start: edit a copy and pass it with --alertmanager.config.file.
# Alerts are grouped and shown (http://localhost:9093/api/v2/alerts) but sent nowhere until you
# give the receiver an integration, for example:
#
#   receivers:
#     - name: blackhole
#       webhook_configs:
#         - url: http://127.0.0.1:5001/
#       email_configs:
#         - to: oncall@example.org
#           from: vigil@example.org
#           smarthost: smtp.example.org:587
#           auth_username: vigil@example.org
#           auth_password: secret
route:
  receiver: blackhole
  group_by: [alertname, job]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: blackhole
`;
