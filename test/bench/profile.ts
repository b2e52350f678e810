// Where a load's time goes: every gRPC call counted by method on its way to the real client, the
// CPU this process spent, and the CPU containerd spent (read from /proc, same host).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { ContainerdApi } from '../../src/containerd/connection/api';
import type { Method, MethodTable } from '../../src/containerd/proto/codec';

export interface CallStats { count: number; inFlightMs: number }

export interface LoadProfile {
  readonly wallMs: number;
  /** CPU this process spent (protobuf decoding, JSON parsing, grpc-js, the walk itself). */
  readonly clientCpuMs: number;
  /** CPU containerd spent answering. */
  readonly daemonCpuMs: number;
  readonly calls: number;
  /** By gRPC method (service/rpc); inFlightMs sums overlapping calls, so it only ranks methods. */
  readonly byMethod: Readonly<Record<string, CallStats>>;
}

export class CountingApi implements ContainerdApi {
  readonly byMethod: Record<string, CallStats> = {};

  constructor(private readonly inner: ContainerdApi) {}

  get address(): string { return this.inner.address; }
  get methods(): MethodTable { return this.inner.methods; }

  unary<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string): Promise<Res> {
    return this.timed(method.path, () => this.inner.unary(method, request, namespace));
  }

  streamAll<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string): Promise<Res[]> {
    return this.timed(method.path, () => this.inner.streamAll(method, request, namespace));
  }
  streamEach<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace: string | undefined, signal?: AbortSignal): AsyncIterable<Res> {
    return this.inner.streamEach(method, request, namespace, signal);
  }


  private async timed<T>(path: string, call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await call();
    } finally {
      const name = path.replace(/^\/containerd\.services\.[a-z]+\.v1\./, '');
      const stats = (this.byMethod[name] ??= { count: 0, inFlightMs: 0 });
      stats.count++;
      stats.inFlightMs += performance.now() - started;
    }
  }
}

/** utime + stime of a process in ms (/proc counts clock ticks: 10 ms, Linux's USER_HZ). */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Runs `load` (whose calls go through `counting`) and says where its time went. */
export async function profileLoad(daemonPid: number, counting: CountingApi, load: () => Promise<unknown>): Promise<LoadProfile> {
  const cpu = process.cpuUsage();
  const daemonCpu = processCpuMs(daemonPid);
  const started = performance.now();
  await load();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const byMethod = Object.fromEntries(Object.entries(counting.byMethod).map(([name, s]) => [name, { count: s.count, inFlightMs: Math.round(s.inFlightMs) }]));
  return {
    wallMs,
    clientCpuMs: (used.user + used.system) / 1000,
    daemonCpuMs: processCpuMs(daemonPid) - daemonCpu,
    calls: Object.values(counting.byMethod).reduce((sum, s) => sum + s.count, 0),
    byMethod,
  };
}
