import assert from 'node:assert/strict';
import { test } from 'node:test';
import { declaredModule, escapeModulePath, linkedFolderSubstitutions, moduleCacheCandidates, proposeSubstitutePath, recordedPrefix } from '../../src/debug/substitutePath';

test('module cache paths escape capitals as ! + lower case', () => {
  assert.equal(escapeModulePath('github.com/Microsoft/hcsshim'), 'github.com/!microsoft/hcsshim');
  assert.equal(escapeModulePath('github.com/BurntSushi/toml'), 'github.com/!burnt!sushi/toml');
  assert.equal(escapeModulePath('v0.32.2'), 'v0.32.2');
});

test('the module cache is GOMODCACHE, else the first GOPATH entry\'s pkg/mod, else ~/go/pkg/mod', () => {
  assert.deepEqual(moduleCacheCandidates({ GOMODCACHE: '/c/mod', GOPATH: '/g1:/g2' }, '/home/u'), ['/c/mod', '/g1/pkg/mod']);
  assert.deepEqual(moduleCacheCandidates({ GOPATH: ':/g2' }, '/home/u'), ['/g2/pkg/mod']);
  assert.deepEqual(moduleCacheCandidates({}, '/home/u'), ['/home/u/go/pkg/mod']);
  assert.deepEqual(moduleCacheCandidates({ GOMODCACHE: '/home/u/go/pkg/mod' }, '/home/u'), ['/home/u/go/pkg/mod']);
});

test('go.mod\'s module line, quoted or not', () => {
  assert.equal(declaredModule('// c\nmodule github.com/moby/buildkit\n\ngo 1.24\n'), 'github.com/moby/buildkit');
  assert.equal(declaredModule('module "example.com/q"\n'), 'example.com/q');
  assert.equal(declaredModule('go 1.24\n'), undefined);
});

test('-trimpath records a module as path@version, a checkout\'s main module by its bare path, a replaced one by its replacement', () => {
  assert.equal(recordedPrefix({ path: 'github.com/moby/buildkit', version: 'v0.32.2' }), 'github.com/moby/buildkit@v0.32.2');
  assert.equal(recordedPrefix({ path: 'github.com/moby/buildkit', version: '(devel)' }), 'github.com/moby/buildkit');
  assert.equal(recordedPrefix({ path: 'm', version: '' }), 'm');
  assert.equal(recordedPrefix({ path: 'a', version: 'v1.0.0', replace: { path: 'b', version: 'v1.1.0' } }), 'b@v1.1.0');
  assert.equal(recordedPrefix({ path: 'a', version: 'v1.0.0', replace: { path: '../a', version: '(devel)' } }), 'a');
});

test('a mapping is proposed for each module found, a workspace folder first, longest folders first', async () => {
  const folders = new Set(['/cache/mod/github.com/moby/buildkit@v0.32.2', '/cache/mod/github.com/!microsoft/go-winio@v0.6.2', '/other/mod/github.com/b@v1.1.0', '/cache/mod/github.com/containerd/containerd/v2@v2.2.0']);
  const proposed = await proposeSubstitutePath(
    {
      main: { path: 'github.com/moby/buildkit', version: 'v0.32.2' },
      deps: [
        { path: 'github.com/Microsoft/go-winio', version: 'v0.6.2' },
        { path: 'github.com/containerd/containerd/v2', version: 'v2.2.0' },
        { path: 'github.com/a', version: 'v1.0.0', replace: { path: 'github.com/b', version: 'v1.1.0' } },
        { path: 'github.com/absent', version: 'v1.0.0' },
        { path: 'example.com/local', version: '(devel)' },
        { path: 'github.com/tonistiigi/fsutil', version: 'v0.0.1' },
      ],
    },
    { moduleCaches: ['/cache/mod', '/other/mod'], workspaceModules: new Map([['github.com/tonistiigi/fsutil', '/ws/fsutil']]) },
    (path) => Promise.resolve(folders.has(path)),
  );
  assert.deepEqual(proposed, [
    { from: '/cache/mod/github.com/containerd/containerd/v2@v2.2.0', to: 'github.com/containerd/containerd/v2@v2.2.0' },
    { from: '/cache/mod/github.com/!microsoft/go-winio@v0.6.2', to: 'github.com/Microsoft/go-winio@v0.6.2' },
    { from: '/cache/mod/github.com/moby/buildkit@v0.32.2', to: 'github.com/moby/buildkit@v0.32.2' },
    { from: '/other/mod/github.com/b@v1.1.0', to: 'github.com/b@v1.1.0' },
    { from: '/ws/fsutil', to: 'github.com/tonistiigi/fsutil@v0.0.1' },
  ]);
});

test('a main module built in its checkout maps to a workspace folder by its bare path; nothing found, nothing proposed', async () => {
  const main = { path: 'github.com/moby/buildkit', version: '(devel)' };
  assert.deepEqual(await proposeSubstitutePath({ main, deps: [] }, { moduleCaches: ['/c'], workspaceModules: new Map([['github.com/moby/buildkit', '/ws/buildkit']]) }, () => Promise.resolve(true)),
    [{ from: '/ws/buildkit', to: 'github.com/moby/buildkit' }]);
  assert.deepEqual(await proposeSubstitutePath({ main, deps: [] }, { moduleCaches: ['/c'], workspaceModules: new Map() }, () => Promise.resolve(true)), []);
  assert.deepEqual(await proposeSubstitutePath({ main: undefined, deps: [{ path: 'x', version: 'v1.0.0' }] }, { moduleCaches: ['/c'], workspaceModules: new Map() }, () => Promise.resolve(false)), []);
});

test('equal lengths are ordered by folder name, so the proposal reads the same each time', async () => {
  const proposed = await proposeSubstitutePath({ main: undefined, deps: [{ path: 'b/y', version: 'v1' }, { path: 'a/x', version: 'v1' }] }, { moduleCaches: ['/c'], workspaceModules: new Map() }, () => Promise.resolve(true));
  assert.deepEqual(proposed.map((e) => e.from), ['/c/a/x@v1', '/c/b/y@v1']);
});

test('a folder reached through a symlink maps to its real path only where the binary holds the real spelling and not the linked one', () => {
  // What the binary's file table holds: sources under /data (real paths), and one tree built through its link.
  const table = '/data/go/pkg/mod/github.com/moby/buildkit@v0.32.2/control/control.go\0/data/src/app/main.go\0/home/me/built-via-link/x.go\0';
  const holds = (prefix: string): boolean => table.includes(prefix);
  const folders = [
    { path: '/home/me/go/pkg/mod', real: '/data/go/pkg/mod' },
    { path: '/home/me/src/app', real: '/data/src/app' },
    { path: '/home/me/src/app', real: '/data/src/app' },
    { path: '/data/src/plain', real: '/data/src/plain' },
    { path: '/home/me/built-via-link', real: '/data/built' },
    { path: '/home/me/elsewhere', real: '/data/elsewhere' },
    // A prefix of a held path that is not a folder of it: /data/src/ap is not /data/src/app.
    { path: '/home/me/ap', real: '/data/src/ap' },
  ];
  assert.deepEqual(linkedFolderSubstitutions(folders, holds), [
    { from: '/home/me/go/pkg/mod', to: '/data/go/pkg/mod' },
    { from: '/home/me/src/app', to: '/data/src/app' },
  ]);
  assert.deepEqual(linkedFolderSubstitutions([], holds), []);
  // Longest first, ties by name: a nested folder maps before its parent.
  const nested = linkedFolderSubstitutions([{ path: '/l/a', real: '/r/a' }, { path: '/l/a/b', real: '/r/a/b' }, { path: '/l/c', real: '/r/c' }], () => true);
  assert.deepEqual(nested, []);
  const nestedHeld = linkedFolderSubstitutions([{ path: '/l/a', real: '/r/a' }, { path: '/l/a/b', real: '/r/a/b' }, { path: '/l/c', real: '/r/c' }], (p) => p.startsWith('/r/'));
  assert.deepEqual(nestedHeld.map((e) => e.from), ['/l/a/b', '/l/a', '/l/c']);
});
