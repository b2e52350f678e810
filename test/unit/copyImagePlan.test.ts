// What a copy between namespaces or endpoints may do, where it may go, and what a failure says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadArgs } from '../../src/nerdctl/containerArgs';
import { copyDecision, copyDestinations, copyFailureAdvice, needsCriLabel, type ImageAt } from '../../src/nerdctl/copyImage';
import { namespaceName } from '../../src/nerdctl/validate';

const digest = `sha256:${'a'.repeat(64)}`;
const other = `sha256:${'b'.repeat(64)}`;
const source: ImageAt = { address: '/run/a.sock', namespace: 'default', name: 'docker.io/library/busybox:1.36', digest };

describe('copy decision', () => {
  it('copies where the name is free, asks before replacing another image, skips the same one', () => {
    assert.deepEqual(copyDecision(source, { address: '/run/a.sock', namespace: 'k8s.io' }, undefined), { kind: 'copy' });
    assert.deepEqual(copyDecision(source, { address: '/run/b.sock', namespace: 'default' }, undefined), { kind: 'copy' });
    assert.deepEqual(copyDecision(source, { address: '/run/a.sock', namespace: 'k8s.io' }, other), { kind: 'replace', existingDigest: other });
    assert.deepEqual(copyDecision(source, { address: '/run/b.sock', namespace: 'default' }, digest), { kind: 'present' });
  });

  it('refuses the image\'s own place and a namespace containerd would refuse, saying why', () => {
    const own = copyDecision(source, { address: '/run/a.sock', namespace: 'default' }, digest);
    assert.equal(own.kind, 'refused');
    assert.match(own.kind === 'refused' ? own.reason : '', /already in namespace "default" of \/run\/a\.sock: pick another/);
    const bad = copyDecision(source, { address: '/run/a.sock', namespace: 'k8s..io' }, undefined);
    assert.match(bad.kind === 'refused' ? bad.reason : '', /"k8s\.\.io" is not a containerd namespace/);
  });
});

describe('containerd namespace names', () => {
  it('takes containerd identifiers of 1 to 76 characters and nothing else', () => {
    for (const ok of ['k8s.io', 'a', 'moby', 'team_a-1', 'x'.repeat(76)]) assert.equal(namespaceName(ok), undefined, ok);
    assert.match(namespaceName('x'.repeat(77)) ?? '', /up to 76 letters/);
    for (const bad of ['.k8s', 'k8s.', 'a--b', 'a b', 'ns/x', 'é']) assert.match(namespaceName(bad) ?? '', /is not a containerd namespace/, bad);
    assert.match(namespaceName('-n') ?? '', /starts with "-"/);
    assert.match(namespaceName('') ?? '', /The namespace is empty/);
    assert.match(namespaceName('a\nb') ?? '', /control character \(U\+000A\)/);
  });
});

describe('copy destinations', () => {
  it('lists every other namespace, the source endpoint first, and k8s.io where it is missing', () => {
    const places = copyDestinations({ address: '/run/a.sock', namespace: 'default' }, [
      { address: '/run/b.sock', namespaces: ['default', 'k8s.io'] },
      { address: '/run/a.sock', namespaces: ['default', 'team'] },
    ]);
    assert.deepEqual(places, [
      { address: '/run/a.sock', namespace: 'team', created: false },
      { address: '/run/a.sock', namespace: 'k8s.io', created: true },
      { address: '/run/b.sock', namespace: 'default', created: false },
      { address: '/run/b.sock', namespace: 'k8s.io', created: false },
    ]);
  });

  it('keeps the other endpoints in the order they were given, after the source endpoint', () => {
    const places = copyDestinations({ address: '/run/a.sock', namespace: 'default' }, [
      { address: '/run/a.sock', namespaces: ['default', 'k8s.io'] },
      { address: '/run/b.sock', namespaces: ['k8s.io'] },
      { address: '/run/c.sock', namespaces: ['k8s.io'] },
    ]);
    assert.deepEqual(places.map((p) => p.address), ['/run/a.sock', '/run/b.sock', '/run/c.sock']);
  });

  it('offers k8s.io on the source endpoint when the image is in k8s.io elsewhere only once', () => {
    const places = copyDestinations({ address: '/run/a.sock', namespace: 'k8s.io' }, [{ address: '/run/a.sock', namespaces: ['k8s.io'] }]);
    assert.deepEqual(places, []);
  });
});

describe('the CRI label', () => {
  it('is wanted in k8s.io only, unless the image already has it', () => {
    assert.equal(needsCriLabel({ address: '/a', namespace: 'k8s.io' }, {}), true);
    assert.equal(needsCriLabel({ address: '/a', namespace: 'k8s.io' }, { 'io.cri-containerd.image': 'unmanaged' }), true);
    assert.equal(needsCriLabel({ address: '/a', namespace: 'k8s.io' }, { 'io.cri-containerd.image': 'managed' }), false);
    assert.equal(needsCriLabel({ address: '/a', namespace: 'default' }, {}), false);
  });
});

describe('copy argv', () => {
  it('loads every platform of the archive when asked, only this machine\'s otherwise', () => {
    assert.deepEqual(loadArgs('/tmp/x/image.tar', true), ['load', '--all-platforms', '--input=/tmp/x/image.tar']);
    assert.deepEqual(loadArgs('/tmp/x.tar'), ['load', '--input=/tmp/x.tar']);
  });
});

describe('copy failure advice', () => {
  const name = 'docker.io/library/busybox:1.36';
  const sudo = { program: '/usr/local/bin/nerdctl', user: 'dev' };
  it('names the cause and the fix for the failures users meet', () => {
    assert.match(copyFailureAdvice(name, 'time="x" level=fatal msg="failed to get reader: content digest sha256:abc: not found"', sudo) ?? '', /pulled for one platform only\)\. Pull all of them first: nerdctl pull --all-platforms docker\.io\/library\/busybox:1\.36/);
    assert.equal(copyFailureAdvice(name, 'sudo: a password is required', sudo), 'sudo wanted a password, and this runs in the background where none can be typed. Allow it without one, e.g. a file in /etc/sudoers.d with "dev ALL=(root) NOPASSWD: /usr/local/bin/nerdctl", or give your user access to the containerd socket (a group with read/write on it).');
    assert.match(copyFailureAdvice(name, 'sudo: a terminal is required to read the password', sudo) ?? '', /NOPASSWD/);
    assert.match(copyFailureAdvice(name, 'unknown method Server: not implemented', sudo) ?? '', /too old for nerdctl/);
    assert.match(copyFailureAdvice(name, 'dial unix /run/containerd/containerd.sock: connect: permission denied', sudo) ?? '', /not open to this user/);
    assert.match(copyFailureAdvice(name, 'write /var/lib/containerd/x: no space left on device', sudo) ?? '', /disk is full/);
    // Each cause alone, as nerdctl save prints it when a platform's blobs were never pulled.
    for (const stderr of [`time="x" level=fatal msg="content digest sha256:${'c'.repeat(64)}: not found"`, 'level=fatal msg="blob not found"']) {
      assert.match(copyFailureAdvice(name, stderr, sudo) ?? '', /Pull all of them first/, stderr);
    }
    assert.equal(copyFailureAdvice(name, 'something else entirely', sudo), undefined);
  });
});
