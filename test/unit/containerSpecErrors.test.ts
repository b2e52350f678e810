// Inspect's Containers.Get answers that are not a plain spec: no container at all, a container
// without a spec (its record and extensions still show), and a spec that is not JSON.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getContainerSpec } from '../../src/containerd/containers/containers';
import { MethodTable } from '../../src/containerd/proto/codec';
import { exactly, FakeApi } from './fakeApi';

const methods = new MethodTable();
const get = '/containerd.services.containers.v1.Containers/Get';
const record = {
  id: 'web-1', labels: {}, image: 'docker.io/library/nginx:latest', runtime: { name: 'io.containerd.runc.v2', options: null }, snapshotter: 'overlayfs',
  snapshot_key: 'web-1', created_at: { seconds: 1772359200, nanos: 0 }, updated_at: null, sandbox: '',
};

describe('container spec answers', () => {
  it('says containerd answered without a container', async (t) => {
    const api = new FakeApi(t, { unary: { [get]: exactly({ id: 'web-1' }, { container: null }, 'default') } }, methods);
    await assert.rejects(getContainerSpec(api, 'default', 'web-1'), { message: 'containerd answered Containers.Get for web-1 without a container' });
  });

  it('shows the record and extensions of a container without a spec', async (t) => {
    const api = new FakeApi(t, { unary: { [get]: exactly({ id: 'web-1' }, { container: {
      ...record, spec: null, extensions: { 'io.cri-containerd.container.metadata': { type_url: 'github.com/containerd/cri/pkg/store/container/Metadata', value: new Uint8Array() } },
    } }, 'default') } }, methods);
    const got = await getContainerSpec(api, 'default', 'web-1');
    assert.equal(got.record.id, 'web-1');
    assert.equal(got.record.image, 'docker.io/library/nginx:latest');
    assert.deepEqual(got.extensions, { 'io.cri-containerd.container.metadata': 'github.com/containerd/cri/pkg/store/container/Metadata' });
    assert.equal(got.spec, undefined);
    assert.equal(got.specType, undefined);
  });

  it('names the container and the spec type when the spec is not JSON', async (t) => {
    const api = new FakeApi(t, { unary: { [get]: exactly({ id: 'web-1' }, { container: {
      ...record, spec: { type_url: 'types.containerd.io/opencontainers/runtime-spec/1/Spec', value: Buffer.from('\x08\x01not json') }, extensions: {},
    } }, 'default') } }, methods);
    await assert.rejects(getContainerSpec(api, 'default', 'web-1'),
      /^Error: the OCI spec of container web-1 \(types\.containerd\.io\/opencontainers\/runtime-spec\/1\/Spec\) is not JSON: /);
  });
});
