// Task statistics and process details decoded from payloads captured from real containerd
// daemons on this project's machines (cgroup v1 hosts: /sys/fs/cgroup is a tmpfs of v1
// hierarchies). Each capture was checked against `ctr tasks metrics` and the cgroup files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as protobuf from 'protobufjs';
import { TaskPayloadDecoder, cgroupsV2MetricsType } from '../../src/containerd/tasks/taskPayloads';

const decoder = new TaskPayloadDecoder();
const v1 = (b64: string) => ({ type_url: 'io.containerd.cgroups.v1.Metrics', value: Buffer.from(b64, 'base64') });

describe('Tasks.Metrics payloads', () => {
  // `ctr run --memory-limit 67108864 ... sh -c 'while true; do sleep 5; done'` plus one exec'd
  // sleep; ctr tasks metrics said: memory.usage_in_bytes, memory.limit_in_bytes 67108864,
  // cpuacct.usage, pids.current 3 (values below).
  const captures = [
    { version: '1.6.20', b64: 'EgIIAxoYChQI7oqoCRiAreIEIgiP5t0C36TKBhIAIp0BCIAgEICgCiiAIDjhA0C3A0jOBliAwAlggGBwgCCAAYCAgCCIAYDg////////f5ABgCCYAYCgCrABgCDAAeEDyAG3A9ABzgbgAYDACegBgGD4AYAgigIOCICAgCAQgMAxGICgiQGSAhMIgOD///////9/EIDAMRiAoIkBmgISCIDg////////fxCAoBcYgKAkogIKCIDg////////fyoASgA=', usage: 811008, cpu: 19531118, user: 10000000 },
    { version: '1.7.24', b64: 'EgIIAxoYChQI3dnaBxiAreIEIgiI7o8B1evKBhIAIogBEIDgCTi0BECNBEi7B1iAoAlggECAAYCAgCCIAYDg////////f5gBgOAJwAG0BMgBjQTQAbsH4AGAoAnoAYBAigIOCICAgCAQgMArGICAqQGSAhMIgOD///////9/EIDAKxiAgKkBmgISCIDg////////fxCAgBcYgMAkogIKCIDg////////fyoASgA=', usage: 712704, cpu: 16166109, user: 10000000 },
    { version: '2.1.9', b64: 'EgIIAxoTCg8Ivf6ACSIIi9W0ArKpzAYSACKIARCAoAo42gNAsQNIvQZYgMAJYIBggAGAgIAgiAGA4P///////3+YAYCgCsAB2gPIAbED0AG9BuABgMAJ6AGAYIoCDgiAgIAgEIDAIRiA4IoBkgITCIDg////////fxCAwCEYgOCKAZoCEgiA4P///////38QgKAXGIDAIqICCgiA4P///////38qAEoA', usage: 548864, cpu: 18890557, user: 0 },
  ];
  for (const capture of captures) {
    it(`decodes cgroup v1 statistics from containerd ${capture.version}`, () => {
      assert.deepEqual(decoder.metrics(v1(capture.b64)), {
        cgroup: 'v1', cpuNanos: capture.cpu, cpuUserNanos: capture.user, cpuSystemNanos: 0,
        // total_inactive_file was 0 in each capture, so in-use memory is the raw usage.
        memoryBytes: capture.usage, memoryUsageBytes: capture.usage, memoryLimitBytes: 67108864, pids: 3,
      });
    });
  }

  it('reports no memory limit for an unlimited cgroup v1 (limit 9223372036854771712)', () => {
    // containerd 1.6.20, `ctr run --detach` without limits; a raw field walk of the bytes reads
    // memory.usage {limit 9223372036854771712, usage 745472}, pids.current 2.
    const m = decoder.metrics(v1('EgIIAhoTCg8Io++TBSIIie26ApqC2QISACKnAQiAIBCAwAYogCA44wNAyANIuwZYgMADYIAgcIAggAGA4P///////3+IAYDg////////f5ABgCCYAYDABrABgCDAAeMDyAHIA9ABuwbgAYDAA+gBgCD4AYAgigITCIDg////////fxCAwC0YgKCZAZICEwiA4P///////38QgMAtGICgmQGaAhIIgOD///////9/EICgExiAwCSiAgoIgOD///////9/KgBKAA=='), new Date(0));
    assert.equal(m?.memoryLimitBytes, undefined);
    assert.equal(m?.memoryBytes, 745472);
    assert.equal(m?.pids, 2);
    assert.equal(m?.timestamp?.getTime(), 0);
  });

  it('decodes cgroup v2 statistics (hand-assembled with the cgroup2/stats field numbers: no v2 host here)', () => {
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

  it('reads nothing from a payload type it does not know', () => {
    assert.equal(decoder.metrics({ type_url: 'io.containerd.runhcs.v1.Stats', value: Buffer.alloc(0) }), undefined);
  });
});

describe('Tasks.ListPids payloads', () => {
  it('reads the exec id of an exec\'d process (`ctr tasks exec --exec-id probe-1`, captured on 1.6, 1.7 and 2.x alike)', () => {
    assert.equal(decoder.execId({ type_url: 'containerd.runc.v1.ProcessDetails', value: Buffer.from('Cgdwcm9iZS0x', 'base64') }), 'probe-1');
    assert.equal(decoder.execId(null), undefined);
  });
});
