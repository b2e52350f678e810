// Image names split the way nerdctl splits them (REPOSITORY / TAG, dangling), platform names
// normalized the way containerd's platforms package does, and chain IDs as containerd names
// the snapshots of an unpacked image.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseImageReference } from '../../src/containerd/images/imageReference';
import { formatPlatform, normalizePlatform } from '../../src/containerd/images/imageManifests';
import { chainIds } from '../../src/containerd/images/images';
import { layeredChainIds, layerDigests, real } from './imagesFixtures';

const digest = 'sha256:870390426b48be8ac55723f6ea1c612c4b5b627fd50879c6af30cedc5781aab8';

describe('parseImageReference', () => {
  const cases: [string, { repository?: string; fullRepository?: string; tag?: string; digest?: string; dangling: boolean }][] = [
    ['docker.io/library/busybox:sample', { repository: 'busybox', fullRepository: 'docker.io/library/busybox', tag: 'sample', dangling: false }],
    ['busybox', { repository: 'busybox', fullRepository: 'docker.io/library/busybox', tag: 'latest', dangling: false }],
    ['index.docker.io/library/alpine:3', { repository: 'alpine', fullRepository: 'docker.io/library/alpine', tag: '3', dangling: false }],
    ['docker.io/user/app:1.0', { repository: 'user/app', fullRepository: 'docker.io/user/app', tag: '1.0', dangling: false }],
    ['registry:5000/a/b:tag', { repository: 'registry:5000/a/b', fullRepository: 'registry:5000/a/b', tag: 'tag', dangling: false }],
    ['localhost/foo', { repository: 'localhost/foo', fullRepository: 'localhost/foo', tag: 'latest', dangling: false }],
    ['[::1]:5000/foo:bar', { repository: '[::1]:5000/foo', fullRepository: '[::1]:5000/foo', tag: 'bar', dangling: false }],
    ['ghcr.io/org/tool:v1.2.3-rc.1', { repository: 'ghcr.io/org/tool', fullRepository: 'ghcr.io/org/tool', tag: 'v1.2.3-rc.1', dangling: false }],
    [`name:tag@${digest}`, { repository: 'name', fullRepository: 'docker.io/library/name', tag: 'tag', digest, dangling: false }],
    // Pulled by digest, and ctr import --digests' names: no tag, so nerdctl calls them dangling.
    [`name@${digest}`, { repository: 'name', fullRepository: 'docker.io/library/name', digest, dangling: true }],
    [`import-2026-11-22@${digest}`, { repository: 'import-2026-11-22', fullRepository: 'docker.io/library/import-2026-11-22', digest, dangling: true }],
    [`registry:5000/a/b@${digest}`, { repository: 'registry:5000/a/b', fullRepository: 'registry:5000/a/b', digest, dangling: true }],
    // CRI names an image by its config digest too; builders leave `<none>@sha256:...`.
    [digest, { digest, dangling: true }],
    [digest.slice(7), { digest, dangling: true }],
    [`<none>@${digest}`, { dangling: true }],
    ['UPPER/case:tag', { repository: 'UPPER/case', fullRepository: 'UPPER/case', tag: 'tag', dangling: false }],
    ['Upper:tag', { dangling: true }],
    ['a:b:c', { dangling: true }],
    ['name@sha256:abc', { dangling: true }],
    // Only the official images' `library/` is implied: a user's repository keeps its own path.
    ['user/app', { repository: 'user/app', fullRepository: 'docker.io/user/app', tag: 'latest', dangling: false }],
    ['docker.io/library/a/b:1', { repository: 'library/a/b', fullRepository: 'docker.io/library/a/b', tag: '1', dangling: false }],
    // A dot or a port makes the first component a registry only when a slash follows it.
    ['my.app:1', { repository: 'my.app', fullRepository: 'docker.io/library/my.app', tag: '1', dangling: false }],
    ['a.b.c:5000/x', { repository: 'a.b.c:5000/x', fullRepository: 'a.b.c:5000/x', tag: 'latest', dangling: false }],
    // A tag may be a whole sha256 (CI tags by commit), and a repository named like one keeps its tag.
    [`app:${digest.slice(7)}`, { repository: 'app', fullRepository: 'docker.io/library/app', tag: digest.slice(7), dangling: false }],
    [`${digest.slice(7)}:v1`, { repository: digest.slice(7), fullRepository: `docker.io/library/${digest.slice(7)}`, tag: 'v1', dangling: false }],
    // go-digest: registered algorithms with their exact lowercase hex lengths only.
    [`name@sha512:${digest.slice(7)}${digest.slice(7)}`, { repository: 'name', fullRepository: 'docker.io/library/name', digest: `sha512:${digest.slice(7)}${digest.slice(7)}`, dangling: true }],
    [`name@sha256:${digest.slice(7, 47)}`, { dangling: true }],
    [`name@md5:${digest.slice(7, 39)}`, { dangling: true }],
    [`name@sha256:A${digest.slice(8)}`, { dangling: true }],
    [`name@sha256:${digest.slice(7, 70)}A`, { dangling: true }],
    [`sha384:${digest.slice(7)}${digest.slice(7, 39)}`, { digest: `sha384:${digest.slice(7)}${digest.slice(7, 39)}`, dangling: true }],
    ['foo/Bar', { dangling: true }],
  ];
  for (const [name, expected] of cases) {
    it(name, () => {
      assert.deepEqual(parseImageReference(name), { name, ...expected });
    });
  }

  it('refuses names longer than 255 characters like distribution/reference, counting the registry', () => {
    const longest = `docker.io/library/${'a'.repeat(237)}`;
    assert.equal(longest.length, 255);
    assert.deepEqual(parseImageReference(longest), { name: longest, repository: 'a'.repeat(237), fullRepository: longest, tag: 'latest', dangling: false });
    assert.deepEqual(parseImageReference(`${longest}a`), { name: `${longest}a`, dangling: true });
    assert.deepEqual(parseImageReference(`${'a'.repeat(237)}:1`).fullRepository, longest);
  });
});

describe('platform names', () => {
  const cases: [{ os: string; architecture: string; variant?: string }, string][] = [
    [{ os: 'linux', architecture: 'amd64' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'aarch64' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm' }, 'linux/arm/v7'],
    [{ os: 'linux', architecture: 'arm', variant: '6' }, 'linux/arm/v6'],
    [{ os: 'linux', architecture: 'x86_64' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'i386' }, 'linux/386'],
    [{ os: 'Windows', architecture: 'AMD64' }, 'windows/amd64'],
    [{ os: '', architecture: '' }, 'unknown'],
    // containerd/platforms' normalizeArch, alias by alias.
    [{ os: 'linux', architecture: 'x86-64' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'amd64', variant: 'v1' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'amd64', variant: 'v3' }, 'linux/amd64/v3'],
    [{ os: 'linux', architecture: 'arm64', variant: '8' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8.0' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'aarch64', variant: 'V8' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm64', variant: '9' }, 'linux/arm64/v9'],
    [{ os: 'linux', architecture: 'arm64', variant: '9.0' }, 'linux/arm64/v9'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v9.0' }, 'linux/arm64/v9'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8.2' }, 'linux/arm64/v8.2'],
    [{ os: 'linux', architecture: 'armhf' }, 'linux/arm/v7'],
    [{ os: 'linux', architecture: 'armel' }, 'linux/arm/v6'],
    [{ os: 'linux', architecture: 'arm', variant: '7' }, 'linux/arm/v7'],
    [{ os: 'linux', architecture: 'arm', variant: '5' }, 'linux/arm/v5'],
    [{ os: 'linux', architecture: 'arm', variant: '8' }, 'linux/arm/v8'],
    [{ os: 'linux', architecture: 'arm', variant: 'v6' }, 'linux/arm/v6'],
    [{ os: 'linux', architecture: 'RISCV64' }, 'linux/riscv64'],
    [{ os: 'macOS', architecture: 'arm64' }, 'darwin/arm64'],
    [{ os: 'linux', architecture: 'ppc64le', variant: 'Power9' }, 'linux/ppc64le/power9'],
  ];
  for (const [platform, expected] of cases) {
    it(`${JSON.stringify(platform)} -> ${expected}`, () => assert.equal(formatPlatform(normalizePlatform(platform)), expected));
  }
});

describe('chainIds', () => {
  it('equals the snapshot keys containerd gave the unpacked three-layer image', () => {
    const config = JSON.parse(real.layeredConfig) as { rootfs: { diff_ids: string[] } };
    assert.deepEqual(chainIds(config.rootfs.diff_ids), layeredChainIds);
  });

  it('is the diff_id itself for a single layer, and empty for none', () => {
    assert.deepEqual(chainIds([layerDigests.amd64]), [layerDigests.amd64]);
    assert.deepEqual(chainIds([]), []);
  });
});
