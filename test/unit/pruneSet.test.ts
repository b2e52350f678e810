// What a prune previews and then names: stopped containers only, untagged images pinned to their
// digests, nerdctl rm of exactly the previewed ids without --force, and a bounded dialog text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { danglingImages, previewLines, pruneContainersArgs, prunableContainers } from '../../src/nerdctl/prune';

describe('prune preview', () => {
  it('takes containers with no task or a stopped one, never running, paused or starting ones', () => {
    const containers = [
      { id: 'a1', name: 'never-started' },
      { id: 'b2', name: 'exited', task: { state: 'stopped' } },
      { id: 'c3', name: 'web', task: { state: 'running' } },
      { id: 'd4', name: 'held', task: { state: 'paused' } },
      { id: 'e5', name: 'starting', task: { state: 'created' } },
      { id: 'f6', name: 'odd', task: { state: 'unknown' } },
    ];
    assert.deepEqual(prunableContainers(containers), [
      { id: 'a1', name: 'never-started', state: 'created' },
      { id: 'b2', name: 'exited', state: 'exited' },
    ]);
  });

  it('takes untagged images, each with the digest it pointed at', () => {
    const d = (c: string): { digest: string } => ({ digest: `sha256:${c.repeat(64)}` });
    const images = [
      { name: 'docker.io/library/busybox:1.36', target: d('a') },
      { name: `docker.io/library/busybox@sha256:${'b'.repeat(64)}`, target: d('b') },
      { name: `import-2026-11-30@sha256:${'c'.repeat(64)}`, target: d('c') },
      { name: 'registry.example:5000/team/app', target: d('e') },
    ];
    assert.deepEqual(danglingImages(images), [
      { name: `docker.io/library/busybox@sha256:${'b'.repeat(64)}`, digest: `sha256:${'b'.repeat(64)}` },
      { name: `import-2026-11-30@sha256:${'c'.repeat(64)}`, digest: `sha256:${'c'.repeat(64)}` },
    ]);
  });

  it('removes exactly the previewed ids, without --force', () => {
    assert.deepEqual(pruneContainersArgs([{ id: 'a1', name: 'x', state: 'created' }, { id: 'b2', name: 'y', state: 'exited' }]), ['rm', '--', 'a1', 'b2']);
    assert.throws(() => pruneContainersArgs([]), /nothing to remove/);
  });

  it('lists up to 15 lines in the dialog, then how many more', () => {
    const lines = Array.from({ length: 17 }, (_, i) => `c${i}`);
    assert.equal(previewLines(lines), [...lines.slice(0, 15), '…and 2 more'].join('\n'));
    assert.equal(previewLines(lines.slice(0, 15)), lines.slice(0, 15).join('\n'));
    assert.equal(previewLines(['a', 'b', 'c'], 2), 'a\nb\n…and 1 more');
  });
});
