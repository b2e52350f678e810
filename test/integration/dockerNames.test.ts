// Docker's names for the containers it keeps in containerd, through a real dockerd (sid) on a
// private containerd: the Engine API answer matches `docker ps -a`, and the explorer's listing of
// namespace moby (containerd's own records, by 64-hex id) gets Docker's names and states from it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { listContainerEntries } from '../../src/containerd/containers/containers';
import { MethodTable } from '../../src/containerd/proto/codec';
import { listDockerContainers } from '../../src/docker/dockerEngine';
import { dockerNamespace, withDockerNames } from '../../src/docker/dockerNames';
import { loadComponents } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { startDockerd, type Dockerd } from '../harness/dockerd';
import { importBusybox } from '../harness/sampleImage';

const image = 'docker.io/library/busybox:docker-names';

describe("Docker's container names (real dockerd)", () => {
  let daemon: ContainerdDaemon;
  let dockerd: Dockerd;
  let client: ContainerdClient;

  before(async () => {
    daemon = await startContainerd('2.x');
    dockerd = await startDockerd(daemon);
    await importBusybox(daemon, loadComponents().busybox, image, dockerNamespace);
    client = new ContainerdClient(daemon.socket, { methods: new MethodTable(), timeoutMs: 20_000 });
  });
  after(async () => {
    client?.close();
    await dockerd?.stop();
    await daemon?.stop();
  });

  it('names and states as docker ps says them, joined to containerd\'s own records of namespace moby', async () => {
    const running = await dockerd.docker(['run', '--detach', '--network', 'none', '--name', 'vscc-web', image, 'sleep', '600']);
    assert.equal(running.exitCode, 0, running.stderr);
    const created = await dockerd.docker(['create', '--network', 'none', '--name', 'vscc-idle', image, 'true']);
    assert.equal(created.exitCode, 0, created.stderr);
    const ps = await dockerd.docker(['ps', '--all', '--no-trunc', '--format', '{{.ID}} {{.Names}} {{.State}}']);
    const oracle = ps.stdout.trim().split('\n').map((l) => l.split(' ')).sort();
    assert.equal(oracle.length, 2, ps.stdout);

    const answer = await listDockerContainers(dockerd.socket);
    assert.ok(answer.ok, answer.ok ? '' : answer.problem);
    assert.deepEqual([...answer.byId.values()].map((c) => [c.id, c.name, c.state]).sort(), oracle);

    // containerd knows the started one by its id alone; the explorer shows Docker's name for it.
    const entries = await listContainerEntries(client, dockerNamespace);
    const webId = oracle.find(([, name]) => name === 'vscc-web')?.[0] ?? '';
    const plain = entries.find((e) => e.id === webId);
    assert.deepEqual([plain?.name, plain?.nameSource], [webId, 'id']);
    const named = withDockerNames(entries, answer).find((e) => e.id === webId);
    assert.deepEqual([named?.name, named?.nameSource, named?.docker?.state], ['vscc-web', 'docker', 'running']);
    assert.match(named?.docker?.status ?? '', /^Up /);
  });

  it('a socket that is not Docker\'s, and one that is gone, are said plainly', async () => {
    const notDocker = await listDockerContainers(daemon.socket);
    assert.equal(notDocker.ok, false);
    const gone = await listDockerContainers(`${dockerd.dir}/no-such.sock`);
    assert.deepEqual(gone, { ok: false, problem: `no Docker Engine socket at ${dockerd.dir}/no-such.sock` });
  });
});
