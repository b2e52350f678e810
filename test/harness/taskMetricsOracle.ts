// What `ctr tasks metrics --format json` says about a task, as the numbers our TaskMetrics
// carries: the oracle for the Tasks.Metrics decoder. ctr prints the cgroups library's Go structs,
// whose JSON names are the .proto field names and which omit zeros; it decodes the payload with
// containerd's own generated code, so a wrong field number on our side cannot agree with it.
import { statfsSync } from 'node:fs';
import type { ContainerdDaemon } from './containerdDaemon';

/** The runc shim reports cgroup v2 statistics when /sys/fs/cgroup is the unified hierarchy. */
export function hostCgroupMode(): 'v1' | 'v2' {
  return statfsSync('/sys/fs/cgroup').type === 0x63677270 ? 'v2' : 'v1';
}

/** The part of ctr's JSON we compare, for either cgroup mode (absent means 0). */
export interface CtrMetricsJson {
  readonly pids?: { readonly current?: number; readonly limit?: number };
  readonly cpu?: {
    // cgroup v1
    readonly usage?: { readonly total?: number; readonly kernel?: number; readonly user?: number };
    // cgroup v2
    readonly usage_usec?: number; readonly user_usec?: number; readonly system_usec?: number;
  };
  readonly memory?: {
    // cgroup v1: usage {limit, usage}, total_inactive_file
    readonly usage?: { readonly limit?: number; readonly usage?: number } | number;
    readonly total_inactive_file?: number;
    // cgroup v2: usage, usage_limit, inactive_file
    readonly usage_limit?: number;
    readonly inactive_file?: number;
  };
}

/** ctr's numbers under our names; limits as ctr gives them (no "unlimited" mapping). */
export interface CtrMetrics {
  readonly cpuNanos: number;
  readonly cpuUserNanos: number;
  readonly cpuSystemNanos: number;
  readonly memoryUsageBytes: number;
  readonly inactiveFileBytes: number;
  readonly memoryLimitBytes: number;
  readonly pids: number;
  readonly pidsLimit: number;
}

export function ctrMetrics(cgroup: 'v1' | 'v2', json: CtrMetricsJson): CtrMetrics {
  const { pids, cpu, memory } = json;
  const common = { pids: pids?.current ?? 0, pidsLimit: pids?.limit ?? 0 };
  if (cgroup === 'v1') {
    const usage = typeof memory?.usage === 'object' ? memory.usage : undefined;
    return {
      ...common,
      cpuNanos: cpu?.usage?.total ?? 0, cpuUserNanos: cpu?.usage?.user ?? 0, cpuSystemNanos: cpu?.usage?.kernel ?? 0,
      memoryUsageBytes: usage?.usage ?? 0, inactiveFileBytes: memory?.total_inactive_file ?? 0, memoryLimitBytes: usage?.limit ?? 0,
    };
  }
  return {
    ...common,
    // cgroup v2 counts CPU in microseconds.
    cpuNanos: (cpu?.usage_usec ?? 0) * 1000, cpuUserNanos: (cpu?.user_usec ?? 0) * 1000, cpuSystemNanos: (cpu?.system_usec ?? 0) * 1000,
    memoryUsageBytes: typeof memory?.usage === 'number' ? memory.usage : 0, inactiveFileBytes: memory?.inactive_file ?? 0,
    memoryLimitBytes: memory?.usage_limit ?? 0,
  };
}

/** What `ctr tasks metrics --format json` prints (flags before the id: ctr 2.x ignores flags after it). */
export function ctrMetricsText(daemon: ContainerdDaemon, namespace: string, id: string): Promise<string> {
  return daemon.ctr(['--namespace', namespace, 'tasks', 'metrics', '--format', 'json', id]);
}

/** 64 MiB: the memory limit a metered task runs with when it has one. */
export const meteredMemoryLimit = 64 * 1024 * 1024;

/**
 * `ctr run` arguments (after `run`) for a task whose every compared statistic is non-zero, so a
 * field read from the wrong number cannot pass as a matching zero: a shell loop (user CPU),
 * copying zeros (system CPU), a 4 MiB file written into the rootfs (inactive page cache), then
 * three processes that sleep, so the statistics hold still once the work is done.
 */
export function meteredTaskArgs(runcRoot: string, image: string, id: string, limited: boolean): string[] {
  const work = [
    'i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done',
    'dd if=/dev/zero of=/dev/null bs=1M count=500 2>/dev/null',
    'dd if=/dev/zero of=/fill bs=1M count=4 2>/dev/null',
    'sleep 1000000 & sleep 1000000 & wait',
  ].join('; ');
  const limit = limited ? ['--memory-limit', String(meteredMemoryLimit)] : [];
  return ['--detach', '--runc-root', runcRoot, ...limit, image, id, 'sh', '-c', work];
}
