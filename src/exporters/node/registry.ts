import type { CollectorFactory } from "./collector.ts";
import { newCpuCollector } from "./collectors/cpu.ts";
import { newCpufreqCollector } from "./collectors/cpufreq.ts";
import { newDiskstatsCollector } from "./collectors/diskstats.ts";
import { newFilesystemCollector } from "./collectors/filesystem.ts";
import { newHwmonCollector } from "./collectors/hwmon.ts";
import {
  newEntropyCollector,
  newFilefdCollector,
  newKernelHungCollector,
  newLoadavgCollector,
  newPressureCollector,
  newSchedstatCollector,
  newSelinuxCollector,
  newUnameCollector,
} from "./collectors/kernel.ts";
import { newMeminfoCollector, newVmstatCollector } from "./collectors/memory.ts";
import { newNetclassCollector } from "./collectors/netclass.ts";
import { newNetdevCollector } from "./collectors/netdev.ts";
import { newArpCollector, newConntrackCollector, newUdpQueuesCollector } from "./collectors/netmisc.ts";
import { newNetstatCollector, newSockstatCollector, newSoftnetCollector } from "./collectors/netstat.ts";
import { newOsCollector } from "./collectors/os.ts";
import { newStatCollector } from "./collectors/procstat.ts";
import {
  newEdacCollector,
  newPowerSupplyClassCollector,
  newThermalZoneCollector,
} from "./collectors/sysclass.ts";
import { newTextfileCollector } from "./collectors/textfile.ts";
import { newTimeCollector } from "./collectors/time.ts";
import { newTimexCollector } from "./collectors/timex.ts";

/** A node_exporter collector name: whether upstream enables it by default, and Vigil's implementation if any. */
export interface CollectorInfo {
  readonly defaultEnabled: boolean;
  /** Undefined for upstream collectors Vigil does not implement (their flags are accepted and ignored). */
  readonly factory?: CollectorFactory;
}

const on = (factory?: CollectorFactory): CollectorInfo => ({ defaultEnabled: true, factory });
const off = (factory?: CollectorFactory): CollectorInfo => ({ defaultEnabled: false, factory });

/**
 * Every Linux collector of node_exporter 1.11 with its upstream default, so
 * `--collector.<name>` / `--no-collector.<name>` parse for all of them, as
 * Helm charts and systemd units pass them.
 */
export const COLLECTORS: Readonly<Record<string, CollectorInfo>> = {
  arp: on(newArpCollector),
  bcache: on(),
  bcachefs: on(),
  bonding: on(),
  btrfs: on(),
  buddyinfo: off(),
  cgroups: off(),
  conntrack: on(newConntrackCollector),
  cpu: on(newCpuCollector),
  cpu_vulnerabilities: off(),
  cpufreq: on(newCpufreqCollector),
  diskstats: on(newDiskstatsCollector),
  dmi: on(),
  drbd: off(),
  drm: off(),
  edac: on(newEdacCollector),
  entropy: on(newEntropyCollector),
  ethtool: off(),
  fibrechannel: on(),
  filefd: on(newFilefdCollector),
  filesystem: on((ctx) => newFilesystemCollector(ctx)),
  hwmon: on(newHwmonCollector),
  infiniband: on(),
  interrupts: off(),
  ipvs: on(),
  kernel_hung: on(newKernelHungCollector),
  ksmd: off(),
  lnstat: off(),
  loadavg: on(newLoadavgCollector),
  logind: off(),
  mdadm: on(),
  meminfo: on(newMeminfoCollector),
  meminfo_numa: off(),
  mountstats: off(),
  netclass: on(newNetclassCollector),
  netdev: on(newNetdevCollector),
  netstat: on(newNetstatCollector),
  network_route: off(),
  nfs: on(),
  nfsd: on(),
  ntp: off(),
  nvme: on(),
  os: on(newOsCollector),
  pcidevice: off(),
  perf: off(),
  powersupplyclass: on(newPowerSupplyClassCollector),
  pressure: on(newPressureCollector),
  processes: off(),
  qdisc: off(),
  rapl: on(),
  runit: off(),
  schedstat: on(newSchedstatCollector),
  selinux: on(newSelinuxCollector),
  slabinfo: off(),
  sockstat: on(newSockstatCollector),
  softirqs: off(),
  softnet: on(newSoftnetCollector),
  stat: on(newStatCollector),
  supervisord: off(),
  swap: off(),
  sysctl: off(),
  systemd: on(),
  tapestats: on(),
  tcpstat: off(),
  textfile: on(newTextfileCollector),
  thermal_zone: on(newThermalZoneCollector),
  time: on((ctx) => newTimeCollector(ctx)),
  timex: on((ctx) => newTimexCollector(ctx)),
  udp_queues: on(newUdpQueuesCollector),
  uname: on((ctx) => newUnameCollector(ctx)),
  vmstat: on(newVmstatCollector),
  watchdog: on(),
  wifi: off(),
  xfrm: off(),
  xfs: on(),
  zfs: on(),
  zoneinfo: off(),
};

/** Names of the collectors Vigil implements, sorted. */
export const IMPLEMENTED: readonly string[] = Object.keys(COLLECTORS)
  .filter((name) => COLLECTORS[name]!.factory !== undefined)
  .sort();

/**
 * Resolves which collectors run, as kingpin's flags do upstream: each
 * collector starts at its default (all off with `disableDefaults`), then
 * explicit `--collector.<name>` / `--no-collector.<name>` choices apply.
 */
export function enabledCollectors(
  explicit: ReadonlyMap<string, boolean>,
  disableDefaults: boolean,
): string[] {
  return Object.keys(COLLECTORS)
    .filter((name) => explicit.get(name) ?? (!disableDefaults && COLLECTORS[name]!.defaultEnabled))
    .sort();
}
