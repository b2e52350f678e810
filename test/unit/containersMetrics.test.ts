// Task statistics and process details decoded from payloads captured from real containerd
// daemons. Each Tasks.Metrics capture in test/fixtures/taskMetrics holds the payload our client
// received and what `ctr tasks metrics --format json` printed for the same task at the same moment
// (test/fixtures/captureTaskMetrics.ts): ctr decodes with containerd's own generated code, so it
// is the oracle for our field numbers.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as protobuf from 'protobufjs';
import { protoDate, type ProtoTimestamp } from '../../src/containerd/connection/api';
import { cgroupsV1MetricsProto, cgroupsV2MetricsProto } from '../../src/containerd/proto/taskPayloads';
import { TaskPayloadDecoder, cgroupsV1MetricsType, cgroupsV2MetricsType } from '../../src/containerd/tasks/taskPayloads';
import { oracleEncode, oracleRoot } from './protobufOracle';
import { ctrMetrics, type CtrMetricsJson } from '../harness/taskMetricsOracle';

const decoder = new TaskPayloadDecoder();

interface MetricsCapture {
  readonly file: string;
  readonly containerd: string;
  readonly cgroup: 'v1' | 'v2';
  /** The `ctr run` arguments the task was started with. */
  readonly ctrRun: readonly string[];
  readonly metric: { readonly timestamp: ProtoTimestamp; readonly data: { readonly type_url: string; readonly value: string } };
  readonly ctr: CtrMetricsJson;
}

/** The tests run from out/test/unit; the captures stay in the source tree. */
const captureDir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'taskMetrics');
const captures: MetricsCapture[] = readdirSync(captureDir).filter((f) => f.endsWith('.json')).sort()
  .map((file) => ({ file, ...(JSON.parse(readFileSync(join(captureDir, file), 'utf8')) as Omit<MetricsCapture, 'file'>) }));

describe('Tasks.Metrics payloads', () => {
  it('has captures of a task with and without a memory limit', () => {
    assert.deepEqual(new Set(captures.map((c) => c.ctrRun.includes('--memory-limit'))), new Set([true, false]), captures.map((c) => c.file).join());
  });

  for (const capture of captures) {
    it(`decodes ${capture.file} (containerd ${capture.containerd}) to the numbers ctr printed`, () => {
      const ctr = ctrMetrics(capture.cgroup, capture.ctr);
      // A field read from a wrong number could agree with ctr by being 0 on both sides: none is.
      for (const [name, value] of Object.entries(ctr)) if (name !== 'pidsLimit') assert.ok(value > 0, `${name} is 0 in ${capture.file}`);
      const limitArg = capture.ctrRun.indexOf('--memory-limit');
      const limit = limitArg >= 0 ? Number(capture.ctrRun[limitArg + 1]) : undefined;
      // Unlimited, ctr shows the kernel's "no limit" number; limited, the limit the task ran with.
      assert.ok(limit === undefined ? ctr.memoryLimitBytes >= 2 ** 62 : ctr.memoryLimitBytes === limit, `ctr's limit ${ctr.memoryLimitBytes}`);
      assert.ok(ctr.inactiveFileBytes < ctr.memoryUsageBytes);

      const { type_url, value } = capture.metric.data;
      const timestamp = protoDate(capture.metric.timestamp);
      assert.deepEqual(decoder.metrics({ type_url, value: Buffer.from(value, 'base64') }, timestamp), {
        cgroup: capture.cgroup, timestamp,
        cpuNanos: ctr.cpuNanos, cpuUserNanos: ctr.cpuUserNanos, cpuSystemNanos: ctr.cpuSystemNanos,
        // In use as nerdctl/docker stats count it: the page cache the kernel may drop is left out.
        memoryBytes: ctr.memoryUsageBytes - ctr.inactiveFileBytes,
        memoryUsageBytes: ctr.memoryUsageBytes,
        ...(limit !== undefined ? { memoryLimitBytes: limit } : {}),
        pids: ctr.pids,
        ...(ctr.pidsLimit > 0 ? { pidsLimit: ctr.pidsLimit } : {}),
      });
    });
  }

  // No cgroup v2 host here to capture from: these bytes are assembled from the field numbers of
  // containerd/cgroups cgroup2/stats/metrics.proto, written out here apart from our definitions.
  it('decodes cgroup v2 statistics (hand-assembled: no v2 host here)', () => {
    const tag = (field: number, wire: number): number => (field << 3) | wire;
    const w = protobuf.Writer.create();
    w.uint32(tag(1, 2)).fork().uint32(tag(1, 0)).uint64(4).uint32(tag(2, 0)).uint64(512).ldelim(); // pids {current, limit}
    w.uint32(tag(2, 2)).fork().uint32(tag(1, 0)).uint64(250000).uint32(tag(2, 0)).uint64(200000).uint32(tag(3, 0)).uint64(50000).ldelim(); // cpu usec
    w.uint32(tag(4, 2)).fork()
      .uint32(tag(13, 0)).uint64(1048576) // inactive_file
      .uint32(tag(32, 0)).uint64(9437184) // usage
      .uint32(tag(33, 0)).uint64('18446744073709551615') // usage_limit: "max"
      .ldelim();
    assert.deepEqual(decoder.metrics({ type_url: cgroupsV2MetricsType, value: w.finish() }), {
      cgroup: 'v2', cpuNanos: 250000000, cpuUserNanos: 200000000, cpuSystemNanos: 50000000,
      memoryBytes: 8388608, memoryUsageBytes: 9437184, pids: 4, pidsLimit: 512,
    });
  });

  // Encoded with our own definitions (their field numbers are checked above, against ctr and
  // containerd's .proto): what is checked here is how the numbers become what the user sees.
  const encode = (proto: string, type: string, message: object): Uint8Array => {
    return oracleEncode(oracleRoot([proto]), type, message);
  };

  it('counts memory as docker stats does: all of the usage when inactive file pages are not below it', () => {
    const v1 = (inactive: number, usage: number, limit: number) => decoder.metrics({ type_url: cgroupsV1MetricsType,
      value: encode(cgroupsV1MetricsProto, 'io.containerd.cgroups.v1.Metrics', { memory: { total_inactive_file: inactive, usage: { usage, limit } } }) });
    assert.deepEqual(v1(8192, 8192, 67108864), { cgroup: 'v1', cpuNanos: 0, cpuUserNanos: 0, cpuSystemNanos: 0, memoryBytes: 8192, memoryUsageBytes: 8192, memoryLimitBytes: 67108864, pids: 0 });
    assert.equal(v1(12288, 8192, 67108864)?.memoryBytes, 8192);
    assert.equal(v1(4096, 8192, 67108864)?.memoryBytes, 4096);
  });

  it('reads a controller the payload leaves out as zero, and a v1 pids limit', () => {
    const zero = { cpuNanos: 0, cpuUserNanos: 0, cpuSystemNanos: 0, memoryBytes: 0, memoryUsageBytes: 0, pids: 0 };
    const v1 = (message: object) => decoder.metrics({ type_url: cgroupsV1MetricsType, value: encode(cgroupsV1MetricsProto, 'io.containerd.cgroups.v1.Metrics', message) });
    const v2 = (message: object) => decoder.metrics({ type_url: cgroupsV2MetricsType, value: encode(cgroupsV2MetricsProto, 'io.containerd.cgroups.v2.Metrics', message) });
    assert.deepEqual(v1({}), { cgroup: 'v1', ...zero });
    assert.deepEqual(v1({ cpu: {}, memory: {} }), { cgroup: 'v1', ...zero });
    assert.deepEqual(v1({ pids: { current: 2, limit: 100 } }), { cgroup: 'v1', ...zero, pids: 2, pidsLimit: 100 });
    assert.deepEqual(v2({}), { cgroup: 'v2', ...zero });
  });

  it('decodes cgroup v2 statistics of a task with memory and pids limits', () => {
    const value = encode(cgroupsV2MetricsProto, 'io.containerd.cgroups.v2.Metrics', {
      pids: { current: 3, limit: 0 }, cpu: { usage_usec: 1500, user_usec: 1000, system_usec: 500 },
      memory: { inactive_file: 4194304, usage: 4194304, usage_limit: 268435456 },
    });
    const timestamp = new Date('2026-11-22T08:15:00.250Z');
    assert.deepEqual(decoder.metrics({ type_url: cgroupsV2MetricsType, value }, timestamp), {
      cgroup: 'v2', timestamp, cpuNanos: 1_500_000, cpuUserNanos: 1_000_000, cpuSystemNanos: 500_000,
      memoryBytes: 4194304, memoryUsageBytes: 4194304, memoryLimitBytes: 268435456, pids: 3,
    });
  });

  it('reads nothing from a payload type it does not know', () => {
    assert.equal(decoder.metrics({ type_url: 'io.containerd.runhcs.v1.Stats', value: Buffer.alloc(0) }), undefined);
  });
});

describe('Tasks.ListPids payloads', () => {
  it('reads the exec id of an exec\'d process (`ctr tasks exec --exec-id probe-1`, captured on 1.6, 1.7 and 2.x alike)', () => {
    assert.equal(decoder.execId({ type_url: 'containerd.runc.v1.ProcessDetails', value: Buffer.from('Cgdwcm9iZS0x', 'base64') }), 'probe-1');
    assert.equal(decoder.execId(null), undefined);
    // The init process: runc reports no exec id (an empty ProcessDetails).
    assert.equal(decoder.execId({ type_url: 'containerd.runc.v1.ProcessDetails', value: Buffer.alloc(0) }), undefined);
    // Another runtime's details are not runc's, even where field 1 is a string.
    assert.equal(decoder.execId({ type_url: 'io.containerd.runhcs.v1.ProcessDetails', value: Buffer.from('Cgdwcm9iZS0x', 'base64') }), undefined);
  });
});
