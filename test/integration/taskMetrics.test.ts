// Live task statistics against real containerd daemons, one version at a time: what Tasks.Metrics
// gives through our decoder agrees with `ctr tasks metrics` read in between two of our reads.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { MethodTable } from '../../src/containerd/proto/codec';
import { taskMetrics } from '../../src/containerd/tasks/taskPayloads';
import { containerdVersions, loadComponents } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { writeBusyboxOciArchive } from '../harness/sampleImage';
import { ctrMetrics, ctrMetricsText, hostCgroupMode, meteredMemoryLimit, meteredTaskArgs, type CtrMetricsJson } from '../harness/taskMetricsOracle';
import { waitFor } from '../harness/waitFor';

const methods = new MethodTable();
const image = 'docker.io/library/busybox:metrics';
const MiB = 1024 * 1024;

for (const version of containerdVersions) {
  describe(`task statistics on containerd ${version}`, () => {
    let daemon: ContainerdDaemon;
    let client: ContainerdClient;
    const id = `metered-${version.replace('.', '')}-${process.pid}`;

    before(async () => {
      daemon = await startContainerd(version);
      client = new ContainerdClient(daemon.socket, { methods, timeoutMs: 20_000 });
      const archive = join(daemon.dir, 'busybox.oci.tar');
      await writeBusyboxOciArchive({ busybox: loadComponents().busybox, imageName: image, outFile: archive, workDir: join(daemon.dir, 'image-build') });
      await daemon.ctr(['images', 'import', archive]);
      await daemon.ctr(['run', ...meteredTaskArgs(daemon.runcRoot, image, id, true)]);
      // The shell, after its work, waits on its two sleeps.
      await waitFor(`${id} to settle into three processes`, async () => (await taskMetrics(client, 'default', id)).pids === 3, 120_000, 500);
    });
    after(async () => {
      client?.close();
      await daemon?.stop();
    });

    it('reads the CPU, memory and processes ctr reads of the same task', async () => {
      const first = await taskMetrics(client, 'default', id);
      const ctr = ctrMetrics(hostCgroupMode(), JSON.parse(await ctrMetricsText(daemon, 'default', id)) as CtrMetricsJson);
      const second = await taskMetrics(client, 'default', id);
      const seen = `ours ${JSON.stringify(first)}, ctr ${JSON.stringify(ctr)}, ours again ${JSON.stringify(second)}`;

      assert.equal(first.cgroup, hostCgroupMode());
      assert.equal(first.pids, ctr.pids, seen);
      assert.equal(ctr.pids, 3);
      assert.equal(first.memoryLimitBytes, meteredMemoryLimit, seen);
      assert.equal(ctr.memoryLimitBytes, meteredMemoryLimit, seen);
      // CPU time only grows: ctr's reading lies between our two.
      for (const key of ['cpuNanos', 'cpuUserNanos', 'cpuSystemNanos'] as const) {
        assert.ok(first[key] <= ctr[key] && ctr[key] <= second[key], `${key}: ${seen}`);
      }
      assert.ok(first.cpuNanos > 0, seen);
      // Memory moves a little either way; the 4 MiB file the task wrote stays in its page cache.
      const [low, high] = [Math.min(first.memoryUsageBytes, second.memoryUsageBytes), Math.max(first.memoryUsageBytes, second.memoryUsageBytes)];
      assert.ok(low - MiB <= ctr.memoryUsageBytes && ctr.memoryUsageBytes <= high + MiB, seen);
      assert.ok(4 * MiB <= first.memoryUsageBytes && first.memoryUsageBytes < meteredMemoryLimit, seen);
      // In use leaves out the inactive page cache, which ctr reports on its own.
      assert.ok(Math.abs(first.memoryUsageBytes - first.memoryBytes - ctr.inactiveFileBytes) <= MiB, seen);
      assert.ok(first.memoryBytes > 0, seen);
    });
  });
}
