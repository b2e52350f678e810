// What the Containers view shows of a ListStream record beyond its name: no runtime when containerd
// sends none, the update time and sandbox when set, and the ports from the label when the caller
// cannot read nerdctl's state files (a socket forwarded from a VM), even for a container that has them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listContainerEntries } from '../../src/containerd/containers/containers';
import { MethodTable } from '../../src/containerd/proto/codec';
import { exactly, FakeApi } from './fakeApi';

const methods = new MethodTable();
const listStream = '/containerd.services.containers.v1.Containers/ListStream';
const stamp = (iso: string) => ({ seconds: Date.parse(iso) / 1000, nanos: 0 });

function message(id: string, fields: Record<string, unknown> = {}) {
  return { container: {
    id, labels: {}, image: 'docker.io/library/busybox:latest', runtime: { name: 'io.containerd.runc.v2', options: null }, snapshotter: 'overlayfs',
    snapshot_key: id, created_at: stamp('2026-03-01T10:00:00Z'), updated_at: null, sandbox: '', ...fields,
  } };
}

describe('container record fields', () => {
  it('reads runtime, update time and sandbox as containerd sends them, and skips an empty message', async (t) => {
    const api = new FakeApi(t, { stream: { [listStream]: exactly({}, [
      message('plain', { runtime: null }),
      { container: null },
      message('sandboxed', { updated_at: stamp('2026-03-02T08:30:00Z'), sandbox: 'sb-42' }),
    ], 'default') } }, methods);
    const [plain, sandboxed, ...rest] = await listContainerEntries(api, 'default', { portsFiles: false });
    assert.equal(rest.length, 0, 'a message without a container is no row');
    assert.equal(plain?.runtime, '');
    assert.equal(plain?.updatedAt, undefined);
    assert.equal(plain?.sandbox, undefined);
    assert.equal(sandboxed?.id, 'sandboxed');
    assert.equal(sandboxed?.updatedAt?.toISOString(), '2026-03-02T08:30:00.000Z');
    assert.equal(sandboxed?.sandbox, 'sb-42');
  });

  it('takes the ports from the label without reading files when told not to, state dir or not', async (t) => {
    const labels = {
      'nerdctl/state-dir': '/var/lib/nerdctl/1935db59/containers/default/web-1',
      'nerdctl/ports': '[{"HostPort":8080,"ContainerPort":80,"Protocol":"tcp","HostIP":"0.0.0.0"}]',
    };
    const api = new FakeApi(t, { stream: { [listStream]: exactly({}, [message('web-1', { labels })], 'default') } }, methods);
    const [web] = await listContainerEntries(api, 'default', { portsFiles: false });
    assert.deepEqual(web?.ports, [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }]);
  });
});
