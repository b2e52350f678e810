import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildkitHostCandidates, findBuildkitHost, locateHosts, unixSocketPath } from '../../src/buildkit/buildkitHosts';

describe('buildkitd candidates, in nerdctl\'s order', () => {
  it('rootful: the namespace\'s own socket, then buildkit-default, then buildkit', () => {
    assert.deepEqual(buildkitHostCandidates({ namespace: 'k8s.io', env: {}, uid: 0 }).map((c) => [c.source, c.address]), [
      ['namespace', 'unix:///run/buildkit-k8s.io/buildkitd.sock'],
      ['default', 'unix:///run/buildkit-default/buildkitd.sock'],
      ['shared', 'unix:///run/buildkit/buildkitd.sock'],
    ]);
    assert.deepEqual(buildkitHostCandidates({ namespace: 'default', env: {}, uid: 0 }).map((c) => c.address), [
      'unix:///run/buildkit-default/buildkitd.sock', 'unix:///run/buildkit/buildkitd.sock',
    ]);
  });

  it('rootless: the same names under XDG_RUNTIME_DIR, else /run/user/<uid>', () => {
    assert.deepEqual(buildkitHostCandidates({ namespace: 'default', env: { XDG_RUNTIME_DIR: '/run/user/1000' }, uid: 1000 }).map((c) => c.address), [
      'unix:///run/user/1000/buildkit-default/buildkitd.sock', 'unix:///run/user/1000/buildkit/buildkitd.sock',
    ]);
    assert.equal(buildkitHostCandidates({ namespace: 'team', env: {}, uid: 1001 })[0]?.address, 'unix:///run/user/1001/buildkit-team/buildkitd.sock');
    // A blank XDG_RUNTIME_DIR is no folder: /run/user/<uid> then.
    assert.equal(buildkitHostCandidates({ namespace: 'default', env: { XDG_RUNTIME_DIR: '  ' }, uid: 1000 })[0]?.address, 'unix:///run/user/1000/buildkit-default/buildkitd.sock');
    // Root's XDG_RUNTIME_DIR does not make it rootless.
    assert.equal(buildkitHostCandidates({ namespace: 'default', env: { XDG_RUNTIME_DIR: '/run/user/0' }, uid: 0 })[0]?.address, 'unix:///run/buildkit-default/buildkitd.sock');
  });

  it('the setting wins, then BUILDKIT_HOST, each alone', () => {
    const env = { BUILDKIT_HOST: 'tcp://builder:1234' };
    assert.deepEqual(buildkitHostCandidates({ namespace: 'default', env, uid: 0, configured: 'unix:///tmp/bk.sock' }), [{ address: 'unix:///tmp/bk.sock', source: 'setting' }]);
    assert.deepEqual(buildkitHostCandidates({ namespace: 'default', env, uid: 0 }), [{ address: 'tcp://builder:1234', source: 'BUILDKIT_HOST' }]);
    assert.equal(buildkitHostCandidates({ namespace: 'default', env: { BUILDKIT_HOST: '  ' }, uid: 0 })[0]?.source, 'default');
  });

  it('reads the socket path of a unix:// address only', () => {
    assert.equal(unixSocketPath('unix:///run/buildkit/buildkitd.sock'), '/run/buildkit/buildkitd.sock');
    for (const a of ['unix://', 'tcp://h:1', 'docker-container://bk', '/run/x.sock']) assert.equal(unixSocketPath(a), undefined, a);
  });

  it('locates each candidate: a unix:// one is present when its socket is, any other kind always (buildctl asks it)', async () => {
    const asked: string[] = [];
    const isSocket = (path: string): Promise<boolean> => {
      asked.push(path);
      return Promise.resolve(path === '/run/buildkit/buildkitd.sock');
    };
    const located = await locateHosts([
      { address: 'unix:///run/buildkit-default/buildkitd.sock', source: 'default' },
      { address: 'unix:///run/buildkit/buildkitd.sock', source: 'shared' },
      { address: 'tcp://builder:1234', source: 'BUILDKIT_HOST' },
    ], isSocket);
    assert.deepEqual(located.map((c) => [c.address, c.source, c.present]), [
      ['unix:///run/buildkit-default/buildkitd.sock', 'default', false],
      ['unix:///run/buildkit/buildkitd.sock', 'shared', true],
      ['tcp://builder:1234', 'BUILDKIT_HOST', true],
    ]);
    assert.deepEqual(asked.sort(), ['/run/buildkit-default/buildkitd.sock', '/run/buildkit/buildkitd.sock']);
  });
});

describe('finding the buildkitd a build uses', () => {
  const search = { namespace: 'team', env: {}, uid: 0 };
  const sockets = (present: string[]) => (path: string): Promise<boolean> => Promise.resolve(present.includes(path));

  it('the first candidate whose socket exists; the task\'s own address without looking', async () => {
    assert.deepEqual(await findBuildkitHost(undefined, search, sockets(['/run/buildkit/buildkitd.sock', '/run/buildkit-default/buildkitd.sock'])),
      { host: 'unix:///run/buildkit-default/buildkitd.sock', tried: [] });
    assert.deepEqual(await findBuildkitHost('tcp://builder:1234', search, sockets([])), { host: 'tcp://builder:1234', tried: [] });
  });

  it('an address that is not a socket is taken as it is (only connecting can check it); none found lists what was tried', async () => {
    assert.deepEqual(await findBuildkitHost(undefined, { ...search, configured: 'kube-pod://buildkitd-0' }, sockets([])), { host: 'kube-pod://buildkitd-0', tried: [] });
    assert.deepEqual(await findBuildkitHost(undefined, search, sockets([])), {
      host: undefined, tried: ['unix:///run/buildkit-team/buildkitd.sock', 'unix:///run/buildkit-default/buildkitd.sock', 'unix:///run/buildkit/buildkitd.sock'],
    });
  });
});
