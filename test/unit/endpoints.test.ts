import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { discoverEndpoints, hostFiles, type DiscoveryInput } from '../../src/containerd/connection/endpoints';

function input(over: Partial<DiscoveryInput> & { sockets?: string[]; files?: Record<string, string> }): DiscoveryInput {
  const sockets = new Set(over.sockets ?? []);
  const files = over.files ?? {};
  return {
    configuredAddress: over.configuredAddress,
    ...(over.additionalAddresses ? { additionalAddresses: over.additionalAddresses } : {}),
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

  it('lists the additional addresses after the primary, answering or not, each socket once, with discovery off too', async () => {
    const found = await discoverEndpoints(input({
      configuredAddress: '/tmp/a.sock', discovery: false,
      additionalAddresses: ['/srv/k3s/containerd.sock', 'unix:///tmp/a.sock', '/srv/other.sock', 'unix:///srv/k3s/containerd.sock'],
    }));
    assert.deepEqual(found.map((e) => [e.source, e.address, e.label]), [
      ['configured', '/tmp/a.sock', '/tmp/a.sock'],
      ['configured', '/srv/k3s/containerd.sock', '/srv/k3s/containerd.sock'],
      ['configured', '/srv/other.sock', '/srv/other.sock'],
    ]);
  });

  it('does not list a discovered socket again when the user added it', async () => {
    const found = await discoverEndpoints(input({ configuredAddress: '/tmp/a.sock', additionalAddresses: ['/run/k3s/containerd/containerd.sock'], sockets: ['/run/k3s/containerd/containerd.sock'] }));
    assert.deepEqual(found.map((e) => [e.source, e.address, e.preferredNamespace]), [['configured', '/tmp/a.sock', undefined], ['configured', '/run/k3s/containerd/containerd.sock', 'k8s.io']]);
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

  it('ignores a child_pid file that is not a number, or none', async () => {
    for (const pid of ['../../etc', '12/../../etc', '../../12', undefined]) {
      const found = await discoverEndpoints(input({
        configuredAddress: '/tmp/pinned.sock',
        env: { XDG_RUNTIME_DIR: '/run/user/1000' },
        files: pid === undefined ? {} : { '/run/user/1000/containerd-rootless/child_pid': pid },
        sockets: [`/proc/${pid}/root/run/containerd/containerd.sock`],
      }));
      assert.deepEqual(found.map((e) => e.source), ['configured'], String(pid));
    }
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

describe('discoverEndpoints on a host with every kind of daemon', () => {
  it('lists each with the name the tree shows, its customary namespace and snapshotter, the primary first', async () => {
    const found = await discoverEndpoints(input({
      env: { CONTAINERD_NAMESPACE: ' dev ', CONTAINERD_SNAPSHOTTER: ' native ', XDG_RUNTIME_DIR: '/run/user/1000' },
      files: { '/run/user/1000/containerd-rootless/child_pid': ' 77\n' },
      nerdctl: { address: '/run/nerdctl/containerd.sock', namespace: 'team', snapshotter: 'stargz' },
      sockets: ['/run/nerdctl/containerd.sock', '/run/containerd/containerd.sock', '/run/docker/containerd/containerd.sock',
        '/run/k3s/containerd/containerd.sock', '/proc/77/root/run/containerd/containerd.sock'],
    }));
    assert.deepEqual(found, [
      { address: '/run/containerd/containerd.sock', label: '/run/containerd/containerd.sock', source: 'default', preferredNamespace: 'dev', snapshotter: 'native' },
      { address: '/run/nerdctl/containerd.sock', label: 'nerdctl.toml', source: 'nerdctl', preferredNamespace: 'team', snapshotter: 'stargz' },
      { address: '/run/docker/containerd/containerd.sock', label: "Docker's containerd", source: 'docker', preferredNamespace: 'moby' },
      { address: '/run/k3s/containerd/containerd.sock', label: 'k3s', source: 'k3s', preferredNamespace: 'k8s.io' },
      { address: '/proc/77/root/run/containerd/containerd.sock', label: 'rootless', source: 'rootless' },
    ]);
  });

  it('offers the rootful socket under its own name next to a configured one, and skips what is not a socket', async () => {
    const found = await discoverEndpoints(input({
      configuredAddress: '/tmp/pinned.sock',
      nerdctl: { address: 'unix:///run/nerdctl/containerd.sock' },
      sockets: ['/run/containerd/containerd.sock'],
    }));
    assert.deepEqual(found, [
      { address: '/tmp/pinned.sock', label: '/tmp/pinned.sock', source: 'configured' },
      { address: '/run/containerd/containerd.sock', label: 'rootful', source: 'rootful' },
    ]);
  });

  it('keeps two invalid addresses apart unless they are spelled the same', async () => {
    const same = await discoverEndpoints(input({ configuredAddress: 'tcp://h:1', discovery: false, nerdctl: { address: 'tcp://h:1', namespace: 'n' } }));
    assert.equal(same[0]?.preferredNamespace, 'n');
    const other = await discoverEndpoints(input({ configuredAddress: 'tcp://h:1', discovery: false, nerdctl: { address: 'tcp://h:2', namespace: 'n' } }));
    assert.equal(other[0]?.preferredNamespace, undefined);
  });
});

describe('hostFiles', () => {
  it('tells a listening socket from a file and from nothing, and reads a file or nothing', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'vscc-hostfiles-'));
    const server = createServer();
    t.after(() => {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const socket = join(dir, 'containerd.sock');
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    writeFileSync(join(dir, 'child_pid'), '4242\n');
    assert.deepEqual(await Promise.all([socket, join(dir, 'child_pid'), join(dir, 'missing')].map((p) => hostFiles.isSocket(p))), [true, false, false]);
    assert.equal(await hostFiles.readFile(join(dir, 'child_pid')), '4242\n');
    assert.equal(await hostFiles.readFile(join(dir, 'missing')), undefined);
  });
});
