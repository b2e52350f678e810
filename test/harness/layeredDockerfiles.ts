// What the layered fixture images hold, as Dockerfiles and build contexts. The paths are named
// once here, so the Dockerfiles and the tests that look for them cannot drift apart. What the real
// tools make of each step (verified on BuildKit v0.32 and Docker 28) is noted beside it.
import { copyFileSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** 120 bytes: longer than a tar header's 100-byte name field, so the writer needs a pax record. */
const longName = `long-name-${'x'.repeat(110)}`;

export const fixturePaths = {
  /** Written in one layer (3 bytes), rewritten longer (22 bytes) in a later one. */
  grows: 'fx/grows',
  /** Deleted later: `.wh.gone-file` in the deleting layer. */
  goneFile: 'fx/gone-file',
  /** A whole folder (with sub/f and g) deleted later: one `.wh.gone-dir`, nothing for its contents. */
  goneDir: 'fx/gone-dir',
  /**
   * Removed and made again by one RUN (old, inner/deep below; new above). BuildKit writes no opaque
   * marker for it: it writes `.wh.inner` and `.wh.old` beside `new`, sorted by the hidden name.
   */
  recreatedDir: 'fx/recreated',
  /**
   * The same in the Docker-built base (old, inner/deep, same-name below; new, a longer same-name
   * above): Docker's classic store (overlay2) writes `.wh..wh..opq` in it.
   */
  opaqueDir: 'fx/opaque',
  /** Two names of one inode, made in the same layer: the archive holds `a2` as a link to `a`. */
  hardLink: 'fx/links/a',
  hardLinkTwin: 'fx/links/a2',
  /**
   * `ln a late` in a later layer: that layer holds `late` as a plain 7-byte file and not `a`, so
   * the image's `late` is a copy with an inode of its own, no longer a link of `a`.
   */
  lateHardLink: 'fx/links/late',
  relativeSymlink: 'fx/links/rel',
  absoluteSymlink: 'fx/links/abs',
  danglingSymlink: 'fx/links/dangling',
  /** `../keep`: a symlink to a folder. */
  dirSymlink: 'fx/links/to-dir',
  keptDir: 'fx/keep',
  /** Mode 0644 in one layer, 0600 in a later one that changes nothing else: that layer holds the whole file again. */
  modeChanged: 'fx/keep/file',
  /** Its target is the long-named file's absolute path (129 bytes). */
  longTargetSymlink: 'fx/links/long-target',
  longName: `fx/long/${longName}`,
  setuid: 'fx/suid',
  empty: 'fx/empty',
  /** uid 1234, gid 5678. */
  owned: 'fx/owned',
  unicode: 'fx/ünïcødé-名前.txt',
  charDevice: 'fx/dev-null',
  blockDevice: 'fx/dev-loop0',
  fifo: 'fx/fifo',
  /** A file, replaced by a folder (holding `inner`) in a later layer: no whiteout, the folder's entry replaces it. */
  fileThenDir: 'fx/kind/file-then-dir',
  /** A folder (holding `inner`), replaced by a file in a later layer: no whiteout for the folder or `inner` either. */
  dirThenFile: 'fx/kind/dir-then-file',
  /**
   * COPY --chown=1234:5678 of the context's copied/: one.txt, its hard link one-link.txt, sub/two.txt,
   * to-one -> one.txt. COPY keeps the link; the archive, sorted by name, holds one-link.txt as the file.
   */
  copied: 'fx/copied',
  /** `uname -m` in the first RUN: x86_64, or aarch64 when QEMU ran the arm64 platform. */
  arch: 'fx/arch',
} as const;

const p = fixturePaths;
const abs = (path: string): string => `/${path}`;
const run = (commands: readonly string[]): string => `RUN ${commands.join(' && \\\n    ')}`;

/** The lower state: one RUN that makes everything the next steps change. */
const firstRun = [
  `mkdir -p ${abs(p.goneDir)}/sub ${abs(p.recreatedDir)}/inner /fx/links ${abs(p.keptDir)} /fx/long ${abs(p.dirThenFile)}`,
  `echo v1 > ${abs(p.grows)}`,
  `echo bye > ${abs(p.goneFile)}`,
  `echo f > ${abs(p.goneDir)}/sub/f`,
  `echo g > ${abs(p.goneDir)}/g`,
  `echo lower > ${abs(p.recreatedDir)}/old`,
  `echo deep > ${abs(p.recreatedDir)}/inner/deep`,
  `echo shared > ${abs(p.hardLink)}`,
  `ln ${abs(p.hardLink)} ${abs(p.hardLinkTwin)}`,
  `ln -s a ${abs(p.relativeSymlink)}`,
  `ln -s ${abs(p.hardLink)} ${abs(p.absoluteSymlink)}`,
  `ln -s nowhere ${abs(p.danglingSymlink)}`,
  `ln -s ../keep ${abs(p.dirSymlink)}`,
  `echo kept > ${abs(p.modeChanged)}`,
  `chmod 0644 ${abs(p.modeChanged)}`,
  `echo long > ${abs(p.longName)}`,
  `ln -s ${abs(p.longName)} ${abs(p.longTargetSymlink)}`,
  `echo '#!/bin/sh' > ${abs(p.setuid)}`,
  `chmod 4755 ${abs(p.setuid)}`,
  `: > ${abs(p.empty)}`,
  `echo owned > ${abs(p.owned)}`,
  `chown 1234:5678 ${abs(p.owned)}`,
  `echo unicode > '${abs(p.unicode)}'`,
  `mknod ${abs(p.charDevice)} c 1 3`,
  `mknod ${abs(p.blockDevice)} b 7 0`,
  `mkfifo ${abs(p.fifo)}`,
  `echo file > ${abs(p.fileThenDir)}`,
  `echo inner > ${abs(p.dirThenFile)}/inner`,
  `uname -m > ${abs(p.arch)}`,
];

/** Changes, deletions and a hard link to a lower file, in one later RUN. */
const laterRun = [
  `echo 'version two is longer' > ${abs(p.grows)}`,
  `rm ${abs(p.goneFile)}`,
  `rm -rf ${abs(p.goneDir)}`,
  `rm -rf ${abs(p.recreatedDir)}`,
  `mkdir ${abs(p.recreatedDir)}`,
  `echo new > ${abs(p.recreatedDir)}/new`,
  `ln ${abs(p.hardLink)} ${abs(p.lateHardLink)}`,
  `chmod 0600 ${abs(p.modeChanged)}`,
  `rm ${abs(p.fileThenDir)}`,
  `mkdir ${abs(p.fileThenDir)}`,
  `echo now-a-dir > ${abs(p.fileThenDir)}/inner`,
  `rm -rf ${abs(p.dirThenFile)}`,
  `echo now-a-file > ${abs(p.dirThenFile)}`,
];

/**
 * BuildKit's steps over a base given as a build argument: ENV and LABEL are history entries
 * without a layer (empty_layer), RUN and COPY make one layer each.
 */
export const layeredDockerfile = [
  'ARG BASE',
  'FROM ${BASE}',
  'ENV FIXTURE=layered',
  'LABEL org.example.fixture=layered',
  run(firstRun),
  `COPY --chown=1234:5678 copied/ ${abs(p.copied)}/`,
  'ENV STEP=two',
  run(laterRun),
  'LABEL org.example.step=last',
  '',
].join('\n');

/**
 * The base Docker builds on its classic image store, FROM scratch with the host's static busybox:
 * overlay2's diff of the last RUN is the upper folder as it is, so the opaque folder keeps its
 * `.wh..wh..opq` (BuildKit on containerd snapshots would list each hidden name instead).
 */
export const dockerBaseDockerfile = [
  'FROM scratch',
  'COPY busybox /bin/busybox',
  'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
  run([`mkdir -p ${abs(p.opaqueDir)}/inner`, `echo lower > ${abs(p.opaqueDir)}/old`, `echo deep > ${abs(p.opaqueDir)}/inner/deep`, `echo lower > ${abs(p.opaqueDir)}/same-name`]),
  run([`rm -rf ${abs(p.opaqueDir)}`, `mkdir ${abs(p.opaqueDir)}`, `echo upper > ${abs(p.opaqueDir)}/new`, `echo upper-and-longer > ${abs(p.opaqueDir)}/same-name`]),
  '',
].join('\n');

/** The build context of layeredDockerfile: the Dockerfile and copied/ (with a hard link and a symlink). */
export function writeLayeredContext(dir: string): void {
  mkdirSync(join(dir, 'copied', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), layeredDockerfile);
  writeFileSync(join(dir, 'copied', 'one.txt'), 'copied one\n', { mode: 0o644 });
  linkSync(join(dir, 'copied', 'one.txt'), join(dir, 'copied', 'one-link.txt'));
  writeFileSync(join(dir, 'copied', 'sub', 'two.txt'), 'copied two\n', { mode: 0o644 });
  symlinkSync('one.txt', join(dir, 'copied', 'to-one'));
}

/** The build context of dockerBaseDockerfile: the Dockerfile and a static busybox. */
export function writeDockerBaseContext(dir: string, busybox: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), dockerBaseDockerfile);
  copyFileSync(busybox, join(dir, 'busybox'));
}
