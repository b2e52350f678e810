import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discoverEndpoints, type DiscoveryInput } from '../../src/containerd/connection/endpoints';

function input(over: Partial<DiscoveryInput> & { sockets?: string[]; files?: Record<string, string> }): DiscoveryInput {
  const sockets = new Set(over.sockets ?? []);
  const files = over.files ?? {};
  return {
    configuredAddress: over.configuredAddress,
    discovery: over.discovery ?? true,
    env: over.env ?? {},
    ...(over.nerdctl ? { nerdctl: over.nerdctl } : {}),
    isSocket: (path) => Promise.resolve(sockets.has(path)),
    readFile: (path) => Promise.resolve(files[path]),
  };
}

describe('discoverEndpoints', () => {
  it('pins exactly the configured endpoint when discovery is off', async () => {
    const found = await discoverEndpoints(input({ configuredAddress: '/tmp/a.sock', discovery: false, sockets: ['/run/containerd/containerd.sock'] }));
    assert.deepEqual(found.map((e) => e.address), ['/tmp/a.sock']);
  });

  it('falls back to CONTAINERD_ADDRESS, then to the rootful default', async () => {
    assert.equal((await discoverEndpoints(input({ discovery: false, env: { CONTAINERD_ADDRESS: '/x.sock' } })))[0]?.source, 'environment');
    const [only] = await discoverEndpoints(input({ discovery: false }));
    assert.equal(only?.address, '/run/containerd/containerd.sock');
    assert.equal(only?.source, 'default');
  });

  it('carries CONTAINERD_NAMESPACE as the preferred namespace of the primary endpoint', async () => {
    const [only] = await discoverEndpoints(input({ discovery: false, env: { CONTAINERD_NAMESPACE: 'k8s.io' } }));
    assert.equal(only?.preferredNamespace, 'k8s.io');
  });

  it('adds only the well-known sockets that exist, without repeating the primary', async () => {
    const found = await discoverEndpoints(input({
      sockets: ['/run/containerd/containerd.sock', '/run/k3s/containerd/containerd.sock'],
    }));
    assert.deepEqual(found.map((e) => [e.source, e.address]), [
      ['default', '/run/containerd/containerd.sock'],
      ['k3s', '/run/k3s/containerd/containerd.sock'],
    ]);
    assert.equal(found[1]?.preferredNamespace, 'k8s.io');
  });

  it('treats unix:// and plain spellings of one socket as the same endpoint', async () => {
    const found = await discoverEndpoints(input({ configuredAddress: 'unix:///run/containerd/containerd.sock', sockets: ['/run/containerd/containerd.sock'] }));
    assert.equal(found.length, 1);
  });

  it("finds rootless containerd through RootlessKit's child pid", async () => {
    const sock = '/proc/4242/root/run/containerd/containerd.sock';
    const found = await discoverEndpoints(input({
      configuredAddress: '/tmp/pinned.sock',
      env: { XDG_RUNTIME_DIR: '/run/user/1000' },
      files: { '/run/user/1000/containerd-rootless/child_pid': '4242\n' },
      sockets: [sock, '/run/docker/containerd/containerd.sock'],
    }));
    assert.deepEqual(found.map((e) => e.source), ['configured', 'docker', 'rootless']);
    assert.equal(found[2]?.address, sock);
  });

  it('ignores a child_pid file that is not a number', async () => {
    const found = await discoverEndpoints(input({
      configuredAddress: '/tmp/pinned.sock',
      env: { XDG_RUNTIME_DIR: '/run/user/1000' },
      files: { '/run/user/1000/containerd-rootless/child_pid': '../../etc' },
      sockets: ['/proc/../../etc/root/run/containerd/containerd.sock'],
    }));
    assert.deepEqual(found.map((e) => e.source), ['configured']);
  });
});

describe('discoverEndpoints with nerdctl.toml', () => {
  it("adds nerdctl's daemon with its namespace when its socket exists", async () => {
    const found = await discoverEndpoints(input({
      configuredAddress: '/tmp/pinned.sock',
      sockets: ['/run/k3s/containerd/containerd.sock'],
      nerdctl: { address: 'unix:///run/k3s/containerd/containerd.sock', namespace: 'k8s.io' },
    }));
    assert.deepEqual(found.map((e) => [e.source, e.preferredNamespace]), [['configured', undefined], ['nerdctl', 'k8s.io']]);
  });

  it("takes nerdctl's namespace for the primary endpoint when nerdctl talks to it, CONTAINERD_NAMESPACE first", async () => {
    const same = await discoverEndpoints(input({ discovery: false, nerdctl: { namespace: 'buildkit' } }));
    assert.equal(same[0]?.preferredNamespace, 'buildkit');
    const env = await discoverEndpoints(input({ discovery: false, env: { CONTAINERD_NAMESPACE: 'moby' }, nerdctl: { namespace: 'buildkit' } }));
    assert.equal(env[0]?.preferredNamespace, 'moby');
    const other = await discoverEndpoints(input({ configuredAddress: '/tmp/a.sock', discovery: false, nerdctl: { address: '/tmp/b.sock', namespace: 'x' } }));
    // The primary endpoint is the configured one; nerdctl's namespace belongs to nerdctl's own address.
    assert.equal(other[0]?.address, '/tmp/a.sock');
    assert.equal(other[0].preferredNamespace, undefined);
  });

  it("carries the snapshotter the user's tools unpack into: CONTAINERD_SNAPSHOTTER, then nerdctl's, only where nerdctl talks", async () => {
    const toml = await discoverEndpoints(input({ discovery: false, nerdctl: { snapshotter: 'stargz' } }));
    assert.equal(toml[0]?.snapshotter, 'stargz');
    const env = await discoverEndpoints(input({ discovery: false, env: { CONTAINERD_SNAPSHOTTER: 'native' }, nerdctl: { snapshotter: 'stargz' } }));
    assert.equal(env[0]?.snapshotter, 'native');
    const other = await discoverEndpoints(input({ configuredAddress: '/tmp/a.sock', discovery: false, nerdctl: { address: '/tmp/b.sock', snapshotter: 'stargz' } }));
    assert.equal(other[0]?.snapshotter, undefined);
    const none = await discoverEndpoints(input({ discovery: false }));
    assert.equal(none[0]?.snapshotter, undefined);
  });
});
