// Prune on the real nerdctl and containerd 2.x: the preview read over gRPC holds exactly the
// stopped containers; a container created after the preview survives the prune, and so does a
// running one (ctr judges). Dangling images: deleted as previewed, except a name re-pointed since.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { listContainerRecords } from '../../src/containerd/containers/containers';
import { listImages } from '../../src/containerd/images/images';
import { MethodTable } from '../../src/containerd/proto/codec';
import { listTasks } from '../../src/containerd/tasks/tasks';
import { danglingImages, deletePreviewedImages, pruneContainersArgs, prunableContainers } from '../../src/nerdctl/prune';
import { loadComponents } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { nerdctlFor, type NerdctlHarness } from '../harness/nerdctlEnv';
import { importBusybox } from '../harness/sampleImage';

const exec = promisify(execFile);
const image = 'docker.io/library/busybox:prune';

describe('prune of a previewed set on real nerdctl (containerd 2.x)', () => {
  let daemon: ContainerdDaemon;
  let nerdctl: NerdctlHarness;
  let client: ContainerdClient;
  let indexDigest = '';
  const namespace = `prune-${process.pid}-${Date.now().toString(36)}`;
  const run = async (args: readonly string[]): Promise<string> =>
    (await exec(nerdctl.bin, ['--address', daemon.socket, '--namespace', namespace, ...args], { env: nerdctl.env, timeout: 120_000 })).stdout;
  const ctrNames = async (): Promise<string[]> => {
    const ids = (await daemon.ctr(['--namespace', namespace, 'containers', 'ls', '--quiet'])).split('\n').map((l) => l.trim()).filter(Boolean);
    const infos = await Promise.all(ids.map(async (id) => JSON.parse(await daemon.ctr(['--namespace', namespace, 'containers', 'info', id])) as { Labels?: Record<string, string> }));
    return infos.map((i) => i.Labels?.['nerdctl/name'] ?? '?').sort();
  };

  before(async () => {
    const components = loadComponents();
    daemon = await startContainerd('2.x');
    nerdctl = nerdctlFor(daemon, components);
    client = new ContainerdClient(daemon.socket, { methods: new MethodTable(), timeoutMs: 30_000 });
    indexDigest = (await importBusybox(daemon, components.busybox, image, namespace)).indexDigest;
  });
  after(async () => {
    client?.close();
    await daemon?.stop();
  });

  it('removes exactly the previewed stopped containers: one created after the preview and a running one stay', async () => {
    await run(['create', '--name=never-started', '--network=none', '--', image]);
    await run(['run', '--name=exited', '--network=none', '--', image, 'true']);
    await run(['run', '--detach', '--name=web', '--network=none', '--', image, 'sleep', '300']);
    const [records, tasks] = await Promise.all([listContainerRecords(client, namespace), listTasks(client, namespace)]);
    const previewed = prunableContainers(records.map((r) => ({ id: r.id, name: r.name, ...(tasks.has(r.id) ? { task: tasks.get(r.id) } : {}) })));
    assert.deepEqual(previewed.map((c) => `${c.name}:${c.state}`).sort(), ['exited:exited', 'never-started:created']);
    // Appears between the preview and the confirmation: a recomputed prune would take it.
    await run(['create', '--name=latecomer', '--network=none', '--', image]);
    await run(pruneContainersArgs(previewed));
    assert.deepEqual(await ctrNames(), ['latecomer', 'web']);
  });

  it('deletes the previewed dangling images, keeping going past one removed since the preview', async () => {
    const gone = `docker.io/library/busybox@${indexDigest}`;
    const vanished = `import-2026-11-30@${indexDigest}`;
    for (const name of [gone, vanished]) await daemon.ctr(['--namespace', namespace, 'images', 'tag', image, name]);
    const previewed = danglingImages(await listImages(client, namespace));
    assert.deepEqual(previewed.map((i) => i.name).sort(), [gone, vanished].sort());
    await daemon.ctr(['--namespace', namespace, 'images', 'rm', vanished]);
    const result = await deletePreviewedImages(client, namespace, previewed);
    assert.deepEqual({ deleted: result.deleted, kept: result.kept }, { deleted: [gone], kept: [vanished] });
    assert.deepEqual((await listImages(client, namespace)).map((i) => i.name), [image]);
  });
});
