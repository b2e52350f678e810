import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../src/debug/finding';
import { findingText } from '../../src/debug/finding';
import { debugBuildFlags, hasErrors, runPreflight, type BinaryView, type PreflightInput } from '../../src/debug/preflight';

const debugBuild: BinaryView = { goVersion: 'go1.26.8', hasDwarf: true, optimized: false, trimpath: false, mainModule: { path: 'github.com/moby/buildkit', version: 'v0.32.2' }, deps: [] };
const dlv = { path: '/usr/local/bin/dlv', version: '1.27.2' };

function input(over: Partial<PreflightInput>): PreflightInput {
  return { binary: 'buildkitd (pid 7)', dlv, facts: debugBuild, ptrace: undefined, checkGoVersion: true, givenSubstitutePath: undefined, proposeSubstitutePath: () => Promise.resolve([]), proposeLinkedFolders: () => Promise.resolve([]), ...over };
}

const checks = (findings: readonly Finding[]): string[] => findings.map((f) => `${f.check}:${f.level}`);

test('a -N -l build with a fitting dlv has nothing to say', async () => {
  const result = await runPreflight(input({}));
  assert.deepEqual(result, { findings: [], substitutePath: undefined });
  assert.equal(hasErrors(result), false);
});

test('a missing dlv is an error naming how to get one and the setting', async () => {
  const result = await runPreflight(input({ dlv: { missing: 'no dlv on PATH' } }));
  assert.deepEqual(checks(result.findings), ['dlv:error']);
  assert.equal(result.findings[0]?.message, 'Delve (dlv) was not found: no dlv on PATH.');
  assert.match(result.findings[0]?.fix ?? '', /go install github\.com\/go-delve\/delve\/cmd\/dlv@latest.*containerd\.debug\.dlvPath/);
  assert.equal(hasErrors(result), true);
});

test('no DWARF is an error (and then optimisation is not worth mentioning); optimized is a warning with the flags', async () => {
  const stripped = await runPreflight(input({ facts: { ...debugBuild, hasDwarf: false, optimized: true } }));
  assert.deepEqual(checks(stripped.findings), ['dwarf:error']);
  assert.match(stripped.findings[0]?.fix ?? '', new RegExp(debugBuildFlags.replace(/[()*]/g, '\\$&')));
  const optimized = await runPreflight(input({ facts: { ...debugBuild, optimized: true } }));
  assert.deepEqual(checks(optimized.findings), ['optimized:warning']);
  assert.equal(hasErrors(optimized), false);
  assert.equal(findingText(optimized.findings[0] ?? assert.fail()), `${optimized.findings[0]?.message} ${optimized.findings[0]?.fix}`);
});

test('a Go outside dlv\'s range: an error naming both versions and the range, a warning when the check is off on purpose', async () => {
  const old = await runPreflight(input({ dlv: { path: '/usr/bin/dlv', version: '1.20.2' } }));
  assert.deepEqual(checks(old.findings), ['go-version:error']);
  assert.equal(old.findings[0]?.message, 'buildkitd (pid 7) was built with go1.26.8, and dlv 1.20.2 (/usr/bin/dlv) reads only Go 1.18 to 1.20.');
  assert.match(old.findings[0]?.fix ?? '', /newer Delve.*--check-go-version=false/);
  const oldGo = await runPreflight(input({ facts: { ...debugBuild, goVersion: 'go1.19.8' } }));
  assert.equal(oldGo.findings[0]?.message, 'buildkitd (pid 7) was built with go1.19.8, older than dlv 1.27.2 (/usr/local/bin/dlv) supports (Go 1.25 to 1.27).');
  assert.match(oldGo.findings[0]?.fix ?? '', /Delve release of that Go's time/);
  const anyway = await runPreflight(input({ dlv: { path: '/usr/bin/dlv', version: '1.20.2' }, checkGoVersion: false }));
  assert.deepEqual(checks(anyway.findings), ['go-version:warning']);
  assert.doesNotMatch(anyway.findings[0]?.fix ?? '', /--check-go-version/);
  assert.deepEqual((await runPreflight(input({ dlv: { path: '/d', version: undefined } }))).findings, [], 'an unreadable dlv version is not judged');
});

test('-trimpath: the proposal is used and reported; none found is a warning; a given mapping is kept and nothing proposed', async () => {
  const trimmed = { ...debugBuild, trimpath: true, deps: [{ path: 'github.com/a', version: 'v1' }] };
  let asked: unknown;
  const mapping = [1, 2, 3, 4].map((n) => ({ from: `/m/${n}`, to: `mod${n}@v1` }));
  const found = await runPreflight(input({ facts: trimmed, proposeSubstitutePath: (modules) => ((asked = modules), Promise.resolve(mapping)) }));
  assert.deepEqual(asked, { main: trimmed.mainModule, deps: trimmed.deps });
  assert.deepEqual(found.substitutePath, mapping);
  assert.deepEqual(checks(found.findings), ['trimpath:info']);
  assert.equal(found.findings[0]?.message, 'buildkitd (pid 7) was built with -trimpath, so its files are named by module. Mapped 4 module(s) to source found here: mod1@v1 -> /m/1; mod2@v1 -> /m/2; mod3@v1 -> /m/3; ....');
  const few = await runPreflight(input({ facts: trimmed, proposeSubstitutePath: () => Promise.resolve(mapping.slice(0, 1)) }));
  assert.match(few.findings[0]?.message ?? '', /Mapped 1 module\(s\) to source found here: mod1@v1 -> \/m\/1\.$/);
  const none = await runPreflight(input({ facts: trimmed }));
  assert.deepEqual(checks(none.findings), ['trimpath:warning']);
  assert.match(none.findings[0]?.message ?? '', /no source for github\.com\/moby\/buildkit@v0\.32\.2 was found/);
  assert.match(none.findings[0]?.fix ?? '', /go mod download github\.com\/moby\/buildkit@v0\.32\.2/);
  assert.equal(none.substitutePath, undefined);
  const noMain = await runPreflight(input({ facts: { ...trimmed, mainModule: undefined } }));
  assert.match(noMain.findings[0]?.message ?? '', /no source for its modules was found/);
  const given = [{ from: '/mine', to: 'x@v1' }];
  const kept = await runPreflight(input({ facts: trimmed, givenSubstitutePath: given, proposeSubstitutePath: () => assert.fail('proposed despite a given mapping') }));
  assert.deepEqual(kept, { findings: [], substitutePath: given });
  const strippedTrimmed = await runPreflight(input({ facts: { ...trimmed, hasDwarf: false }, proposeSubstitutePath: () => assert.fail('no source helps without DWARF') }));
  assert.deepEqual(checks(strippedTrimmed.findings), ['dwarf:error']);
});

test('a build without -trimpath: folders reached through symlinks are mapped to the real paths it holds, and said; a given mapping, -trimpath or no DWARF ask nothing', async () => {
  const linked = [{ from: '/home/me/src/buildkit', to: '/data/src/buildkit' }, { from: '/home/me/go/pkg/mod', to: '/data/go/pkg/mod' }];
  const mapped = await runPreflight(input({ proposeLinkedFolders: () => Promise.resolve(linked) }));
  assert.deepEqual(mapped.substitutePath, linked);
  assert.deepEqual(checks(mapped.findings), ['symlink:info']);
  assert.equal(mapped.findings[0]?.message, 'buildkitd (pid 7) names its sources by their real paths, and 2 source folders are reached here through a symbolic link, which Delve does not follow: mapped /home/me/src/buildkit -> /data/src/buildkit; /home/me/go/pkg/mod -> /data/go/pkg/mod.');
  const one = await runPreflight(input({ proposeLinkedFolders: () => Promise.resolve(linked.slice(1)) }));
  assert.match(one.findings[0]?.message ?? '', /and a source folder is reached here through a symbolic link.*: mapped \/home\/me\/go\/pkg\/mod -> \/data\/go\/pkg\/mod\.$/);
  const three = await runPreflight(input({ proposeLinkedFolders: () => Promise.resolve([...linked, { from: '/a', to: '/b' }]) }));
  assert.match(three.findings[0]?.message ?? '', /3 source folders .*\/a -> \/b\.$/);
  const many = await runPreflight(input({ proposeLinkedFolders: () => Promise.resolve([...linked, { from: '/a', to: '/b' }, { from: '/c', to: '/d' }]) }));
  assert.match(many.findings[0]?.message ?? '', /4 source folders .*\/a -> \/b; \.\.\.\.$/);
  const given = [{ from: '/mine', to: '/theirs' }];
  assert.deepEqual(await runPreflight(input({ givenSubstitutePath: given, proposeLinkedFolders: () => assert.fail('proposed despite a given mapping') })), { findings: [], substitutePath: given });
  const trimmed = await runPreflight(input({ facts: { ...debugBuild, trimpath: true }, proposeSubstitutePath: () => Promise.resolve([{ from: '/m', to: 'x@v1' }]), proposeLinkedFolders: () => assert.fail('-trimpath names modules, not folders') }));
  assert.deepEqual(checks(trimmed.findings), ['trimpath:info']);
  const stripped = await runPreflight(input({ facts: { ...debugBuild, hasDwarf: false }, proposeLinkedFolders: () => assert.fail('no source helps without DWARF') }));
  assert.deepEqual(checks(stripped.findings), ['dwarf:error']);
});

test('ptrace is judged with the binary; an unreadable binary of another user is that same refusal', async () => {
  const ptrace = { attacherUid: 1000, attacherCanPtraceAny: false, targetUid: 0, targetUser: 'root', scope: undefined, asRoot: false };
  const readable = await runPreflight(input({ ptrace }));
  assert.deepEqual(checks(readable.findings), ['ptrace:error']);
  const unreadable = await runPreflight(input({ ptrace, facts: { unreadable: 'EACCES: permission denied' } }));
  assert.deepEqual(checks(unreadable.findings), ['ptrace:error']);
  const notGo = await runPreflight(input({ facts: { unreadable: 'no .go.buildinfo section: not a Go program' } }));
  assert.deepEqual(checks(notGo.findings), ['binary:error']);
  assert.equal(notGo.findings[0]?.message, 'buildkitd (pid 7) cannot be debugged with Delve: no .go.buildinfo section: not a Go program.');
  const both = await runPreflight(input({ dlv: { missing: 'no dlv on PATH' }, facts: { unreadable: 'x' }, givenSubstitutePath: [{ from: 'a', to: 'b' }] }));
  assert.deepEqual(checks(both.findings), ['dlv:error', 'binary:error']);
  assert.deepEqual(both.substitutePath, [{ from: 'a', to: 'b' }]);
  const asRoot = await runPreflight(input({ ptrace: { ...ptrace, attacherUid: 0, attacherCanPtraceAny: true, asRoot: true }, facts: { unreadable: 'EACCES: permission denied' } }));
  assert.deepEqual(checks(asRoot.findings), ['binary:warning'], 'asRoot: root\'s dlv reads what the user cannot');
  assert.match(asRoot.findings[0]?.message ?? '', /cannot be read as you \(EACCES: permission denied\)/);
  const sameUser = await runPreflight(input({ ptrace: { ...ptrace, targetUid: 1000 }, facts: { unreadable: 'x' } }));
  assert.deepEqual(checks(sameUser.findings), ['binary:error']);
});
