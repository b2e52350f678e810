import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, symlinkSync, linkSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { decompressedLayer, sniffCompression, unreadableMediaType } from '../../src/containerd/layers/layerDecompress';
import { safeEntryPath, splitPath } from '../../src/containerd/layers/layerEntry';
import { FileTooLargeError, LayerFormatError, listTarEntries, readTarFile } from '../../src/containerd/layers/tarReading';
import { chunked, collect } from './byteChunks';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'layers');

/** A folder with each kind a layer holds, archived by GNU tar; lstat of the folder is the oracle. */
function archivedFolder(t: { after: (f: () => void) => void }): { dir: string; tar: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'layer-src-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'usr', 'bin'), { recursive: true });
  mkdirSync(join(dir, 'etc'));
  writeFileSync(join(dir, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  linkSync(join(dir, 'etc', 'passwd'), join(dir, 'etc', 'passwd-'));
  writeFileSync(join(dir, 'usr', 'bin', 'tool'), Buffer.alloc(70_000, 7));
  chmodSync(join(dir, 'usr', 'bin', 'tool'), 0o4755);
  symlinkSync('tool', join(dir, 'usr', 'bin', 'alias'));
  symlinkSync('/nowhere/at/all', join(dir, 'dangling'));
  const long = `${'deep/'.repeat(30)}name-longer-than-a-ustar-header-holds.txt`;
  mkdirSync(join(dir, long, '..'), { recursive: true });
  writeFileSync(join(dir, long), 'long\n');
  writeFileSync(join(dir, 'héllo wörld ✓'), '');
  spawnSync('mkfifo', [join(dir, 'pipe')]);
  const made = spawnSync('tar', ['-C', dir, '--sort=name', '--owner=1234', '--group=5678', '--numeric-owner', '-cf', '-', '.'], { maxBuffer: 1 << 26 });
  assert.equal(made.status, 0, made.stderr.toString());
  return { dir, tar: made.stdout };
}

test('paths are made relative to the root and cannot climb out of it', () => {
  assert.equal(safeEntryPath('./usr//bin/'), 'usr/bin');
  assert.equal(safeEntryPath('/etc/passwd'), 'etc/passwd');
  assert.equal(safeEntryPath('../../etc/shadow'), 'etc/shadow');
  assert.equal(safeEntryPath('a/b/../../../c'), 'c');
  assert.equal(safeEntryPath('./'), '');
  assert.deepEqual(splitPath('usr/bin/env'), { dir: 'usr/bin', name: 'env' });
  assert.deepEqual(splitPath('etc'), { dir: '', name: 'etc' });
});

test('a GNU tar archive lists as lstat sees the folder it was made from: kinds, sizes, modes, owners, links, long and unicode names', async (t) => {
  const { dir, tar } = archivedFolder(t);
  const entries = await listTarEntries(chunked(tar, 64 * 1024));
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const walk = (rel: string): void => {
    const full = join(dir, rel);
    const stat = lstatSync(full);
    const entry = byPath.get(rel);
    assert.ok(entry, `${rel} is listed`);
    const kind = stat.isDirectory() ? 'dir' : stat.isSymbolicLink() ? 'symlink' : stat.isFIFO() ? 'fifo' : 'file';
    if (entry.kind === 'hardlink') {
      assert.equal(stat.nlink, 2, `${rel} is one of two names`);
      assert.equal(lstatSync(join(dir, entry.linkTarget ?? '')).ino, stat.ino, `${rel}'s target shares its inode`);
      assert.equal(entry.size, 0);
    } else {
      assert.equal(entry.kind, kind, rel);
      assert.equal(entry.size, kind === 'file' ? stat.size : 0, `${rel} size`);
    }
    assert.equal(entry.mode, stat.mode & 0o7777, `${rel} mode`);
    assert.equal(entry.uid, 1234);
    assert.equal(entry.gid, 5678);
    if (kind === 'symlink') assert.equal(entry.linkTarget, readlinkSync(full), `${rel} target`);
    if (stat.isDirectory()) for (const name of spawnSync('ls', ['-A', full], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) walk(rel === '' ? name : `${rel}/${name}`);
  };
  walk('');
  assert.equal(entries.length, byPath.size, 'no path twice');
  assert.equal(byPath.get('usr/bin/tool')?.mode, 0o4755, 'setuid kept');
  assert.ok([...byPath.keys()].some((p) => p.length > 150), 'the long name came through whole');
  assert.ok(byPath.has('héllo wörld ✓'));
});

test('the same archive lists the same in 7-byte chunks, gzip-compressed and zstd-compressed (zstd by the real tool)', async (t) => {
  const { tar } = archivedFolder(t);
  const plain = await listTarEntries(chunked(tar, 1 << 20));
  assert.deepEqual(await listTarEntries(chunked(tar, 7)), plain);
  assert.deepEqual(await listTarEntries(decompressedLayer(chunked(gzipSync(tar), 4096))), plain);
  const zstd = readFileSync(join(fixtures, 'small.tar.zst'));
  assert.deepEqual(await collect(decompressedLayer(chunked(zstd, 3))), readFileSync(join(fixtures, 'small.tar')), 'fzstd gives back the bytes zstd was given');
  const listed = await listTarEntries(decompressedLayer(chunked(zstd, 50)));
  assert.deepEqual(listed.map((e) => `${e.kind} ${e.path}${e.linkTarget ? ` -> ${e.linkTarget}` : ''}`), [
    'dir ', 'dir etc', 'file etc/.wh.shadow', 'file etc/passwd', 'hardlink etc/passwd.link -> etc/passwd', 'dir usr', 'dir usr/bin', 'file usr/bin/hello', 'symlink usr/bin/hi -> hello',
  ]);
});

test('compression is read from the first bytes; encrypted layers are refused by name', async () => {
  assert.equal(sniffCompression(Uint8Array.of(0x1f, 0x8b, 8, 0)), 'gzip');
  assert.equal(sniffCompression(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd)), 'zstd');
  assert.equal(sniffCompression(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfe)), 'none');
  assert.equal(sniffCompression(Buffer.from('usr/bin/')), 'none');
  assert.equal(sniffCompression(new Uint8Array(0)), 'none');
  assert.match(unreadableMediaType('application/vnd.oci.image.layer.v1.tar+gzip+encrypted') ?? '', /encrypted .*without the key/);
  assert.equal(unreadableMediaType('application/vnd.oci.image.layer.v1.tar+zstd'), undefined);
  // The magic split over chunks still finds gzip.
  const gz = gzipSync(Buffer.from('x'.repeat(100)));
  assert.equal((await collect(decompressedLayer(chunked(gz, 1)))).toString(), 'x'.repeat(100));
});

test('one file read out of a layer: its bytes, the last entry of the path, nothing for other kinds; big files refused', async (t) => {
  const { tar } = archivedFolder(t);
  assert.equal((await readTarFile(chunked(tar, 4096), 'etc/passwd', 1 << 20))?.toString(), 'root:x:0:0:root:/root:/bin/sh\n');
  assert.deepEqual(await readTarFile(chunked(tar, 4096), 'usr/bin/tool', 1 << 20), Buffer.alloc(70_000, 7));
  assert.equal(await readTarFile(chunked(tar, 4096), 'usr/bin/alias', 1 << 20), undefined, 'a symlink has no data');
  assert.equal(await readTarFile(chunked(tar, 4096), 'etc/missing', 1 << 20), undefined);
  await assert.rejects(readTarFile(chunked(tar, 4096), 'usr/bin/tool', 69_999), (e: unknown) => e instanceof FileTooLargeError && /70000 bytes/.test(e.message));
  // Two entries of one path: the later one is what extraction leaves.
  const dir = mkdtempSync(join(tmpdir(), 'layer-dup-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'f'), 'first');
  spawnSync('tar', ['-C', dir, '-cf', join(dir, 'a.tar'), 'f']);
  writeFileSync(join(dir, 'f'), 'second');
  spawnSync('tar', ['-C', dir, '-rf', join(dir, 'a.tar'), 'f']);
  const doubled = readFileSync(join(dir, 'a.tar'));
  assert.equal((await readTarFile(chunked(doubled, 512), 'f', 100))?.toString(), 'second');
  assert.deepEqual((await listTarEntries(chunked(doubled, 512))).map((e) => `${e.path} ${e.size}`), ['f 5', 'f 6'], 'the listing keeps both; the layer model keeps the last');
});

test('the empty tar (an unchanged container\'s diff, an empty layer) lists nothing; zeros short of a block are cut off', async () => {
  assert.deepEqual(await listTarEntries(chunked(Buffer.alloc(1024), 100)), []);
  assert.deepEqual(await listTarEntries(chunked(Buffer.alloc(10240), 4096)), []);
  await assert.rejects(listTarEntries(chunked(Buffer.alloc(500), 100)), LayerFormatError);
});

test('what is not a tar says so, and a cut-off archive is not taken for a whole one', async (t) => {
  await assert.rejects(listTarEntries(chunked(Buffer.alloc(2048, 0x41), 512)), LayerFormatError);
  const { tar } = archivedFolder(t);
  await assert.rejects(listTarEntries(chunked(tar.subarray(0, 512 * 3 + 100), 512)), LayerFormatError);
  await assert.rejects(collect(decompressedLayer(chunked(gzipSync(tar).subarray(0, 200), 64))), /unexpected end/i);
});
