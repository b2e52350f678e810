// Task statistics (Tasks.Metrics) and processes (Tasks.ListPids). Both answers carry runtime
// payloads in Any fields: the runc shim's cgroup statistics (v1 or v2 by the host's cgroup mode)
// and its process details; they are decoded by their type URLs from a root of their own.
import { LazyRoot } from '../proto/codec';
import { longToNumber, protoDate, typeNameOf, type ContainerdApi, type ProtoAny, type ProtoTimestamp } from '../connection/api';
import { cgroupsV1MetricsProto, cgroupsV2MetricsProto, runcProcessDetailsProto } from '../proto/taskPayloads';

const service = 'containerd.services.tasks.v1.Tasks';

export const cgroupsV1MetricsType = 'io.containerd.cgroups.v1.Metrics';
export const cgroupsV2MetricsType = 'io.containerd.cgroups.v2.Metrics';
export const runcProcessDetailsType = 'containerd.runc.v1.ProcessDetails';

export interface TaskMetrics {
  readonly cgroup: 'v1' | 'v2';
  readonly timestamp?: Date;
  /** CPU time used since the task started, all CPUs together. */
  readonly cpuNanos: number;
  readonly cpuUserNanos: number;
  readonly cpuSystemNanos: number;
  /** Memory in use the way nerdctl/docker stats count it: usage minus inactive page cache. */
  readonly memoryBytes: number;
  /** The cgroup's raw usage, page cache included. */
  readonly memoryUsageBytes: number;
  /** Absent when the cgroup has no memory limit. */
  readonly memoryLimitBytes?: number;
  readonly pids: number;
  readonly pidsLimit?: number;
}

export interface TaskProcess {
  readonly pid: number;
  /** The exec id for a process started with exec; absent for the task's init process. */
  readonly execId?: string;
}

type Longish = string | number;
interface V1Metrics {
  pids: { current: Longish; limit: Longish } | null;
  cpu: { usage: { total: Longish; kernel: Longish; user: Longish } | null } | null;
  memory: { total_inactive_file: Longish; usage: { limit: Longish; usage: Longish } | null } | null;
}
interface V2Metrics {
  pids: { current: Longish; limit: Longish } | null;
  cpu: { usage_usec: Longish; user_usec: Longish; system_usec: Longish } | null;
  memory: { inactive_file: Longish; usage: Longish; usage_limit: Longish } | null;
}

/**
 * cgroup v1 reports "no limit" as the largest page-aligned int64 (9223372036854771712), the
 * cgroups library turns v2's "max" into 2^64-1: anything from 2^62 up is no limit.
 */
function limit(value: Longish | undefined): number | undefined {
  const n = longToNumber(value);
  return n > 0 && n < 2 ** 62 ? n : undefined;
}

function inUse(usage: number, inactiveFile: number): number {
  return inactiveFile < usage ? usage - inactiveFile : usage;
}

/** Decodes the Any payloads of the Tasks answers; parses its definitions once, on first use. */
export class TaskPayloadDecoder {
  private readonly root = new LazyRoot([cgroupsV1MetricsProto, cgroupsV2MetricsProto, runcProcessDetailsProto]);

  /** The cgroup statistics in a Metric's data; undefined for a type this decoder does not know. */
  metrics(data: ProtoAny, timestamp?: Date): TaskMetrics | undefined {
    const at = timestamp ? { timestamp } : {};
    const name = typeNameOf(data.type_url);
    if (name === cgroupsV1MetricsType) {
      const m = this.decode<V1Metrics>(name, data.value);
      const usage = longToNumber(m.memory?.usage?.usage);
      const memoryLimitBytes = limit(m.memory?.usage?.limit);
      const pidsLimit = limit(m.pids?.limit);
      return {
        cgroup: 'v1', ...at,
        cpuNanos: longToNumber(m.cpu?.usage?.total),
        cpuUserNanos: longToNumber(m.cpu?.usage?.user),
        cpuSystemNanos: longToNumber(m.cpu?.usage?.kernel),
        memoryBytes: inUse(usage, longToNumber(m.memory?.total_inactive_file)),
        memoryUsageBytes: usage,
        ...(memoryLimitBytes !== undefined ? { memoryLimitBytes } : {}),
        pids: longToNumber(m.pids?.current),
        ...(pidsLimit !== undefined ? { pidsLimit } : {}),
      };
    }
    if (name === cgroupsV2MetricsType) {
      const m = this.decode<V2Metrics>(name, data.value);
      const usage = longToNumber(m.memory?.usage);
      const memoryLimitBytes = limit(m.memory?.usage_limit);
      const pidsLimit = limit(m.pids?.limit);
      return {
        cgroup: 'v2', ...at,
        cpuNanos: longToNumber(m.cpu?.usage_usec) * 1000,
        cpuUserNanos: longToNumber(m.cpu?.user_usec) * 1000,
        cpuSystemNanos: longToNumber(m.cpu?.system_usec) * 1000,
        memoryBytes: inUse(usage, longToNumber(m.memory?.inactive_file)),
        memoryUsageBytes: usage,
        ...(memoryLimitBytes !== undefined ? { memoryLimitBytes } : {}),
        pids: longToNumber(m.pids?.current),
        ...(pidsLimit !== undefined ? { pidsLimit } : {}),
      };
    }
    return undefined;
  }

  /** The exec id in a ProcessInfo's info (runc shims set it for exec'd processes only). */
  execId(info: ProtoAny | null | undefined): string | undefined {
    if (!info || typeNameOf(info.type_url) !== runcProcessDetailsType) return undefined;
    return this.decode<{ exec_id: string }>(runcProcessDetailsType, info.value).exec_id || undefined;
  }

  private decode<T>(typeName: string, bytes: Uint8Array): T {
    return this.root.decode<T>(typeName, bytes);
  }
}

interface MetricMessage { readonly timestamp: ProtoTimestamp | null; readonly id: string; readonly data: ProtoAny | null }

/** The raw Metric of one task (for callers that keep payloads, e.g. to inspect them). */
export async function taskMetricMessage(api: ContainerdApi, namespace: string, containerId: string): Promise<MetricMessage | undefined> {
  const method = api.methods.method<{ filters: string[] }, { metrics: MetricMessage[] }>(service, 'Metrics');
  // As ctr asks: container ids are plain identifiers ([A-Za-z0-9] runs joined by . _ -).
  const res = await api.unary(method, { filters: [`id==${containerId}`] }, namespace);
  return res.metrics.find((m) => m.id === containerId);
}

/**
 * CPU, memory and pids of a running task. Throws when containerd has no statistics for it (no
 * task, or a stopped one) or sends a payload we cannot read (a non-runc runtime).
 */
export async function taskMetrics(api: ContainerdApi, namespace: string, containerId: string, decoder = new TaskPayloadDecoder()): Promise<TaskMetrics> {
  const metric = await taskMetricMessage(api, namespace, containerId);
  if (!metric?.data) throw new Error(`containerd has no statistics for ${containerId} in namespace ${namespace}: it has no running task`);
  const decoded = decoder.metrics(metric.data, protoDate(metric.timestamp));
  if (!decoded) throw new Error(`statistics of ${containerId} are of type ${metric.data.type_url}, which this extension cannot read`);
  return decoded;
}

/** The processes of a task (its init process and what runs in its cgroup, exec'd ones included). */
export async function taskPids(api: ContainerdApi, namespace: string, containerId: string, decoder = new TaskPayloadDecoder()): Promise<TaskProcess[]> {
  const method = api.methods.method<{ container_id: string }, { processes: { pid: number; info: ProtoAny | null }[] }>(service, 'ListPids');
  const res = await api.unary(method, { container_id: containerId }, namespace);
  return res.processes.map((p) => {
    const execId = decoder.execId(p.info);
    return { pid: p.pid, ...(execId ? { execId } : {}) };
  });
}
