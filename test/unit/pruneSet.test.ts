// What a prune previews and then names: stopped containers only, untagged images pinned to their
// digests, nerdctl rm of exactly the previewed ids without --force, and a bounded dialog text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContainerdRequestError } from '../../src/containerd/connection/errors';
import { deletePreviewedImages, danglingImages, previewLines, pruneContainersArgs, prunableContainers } from '../../src/nerdctl/prune';
import { fakeAddress, FakeApi, notFound, type Answer } from './fakeApi';

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

describe('deleting the previewed images', () => {
  const images = '/containerd.services.images.v1.Images';
  const ociIndex = 'application/vnd.oci.image.index.v1+json';
  const digest = (c: string): string => `sha256:${c.repeat(64)}`;
  const dangling = (c: string): string => `docker.io/library/busybox@${digest(c)}`;
  const record = (name: string, target: string): object => ({
    image: { name, labels: {}, target: { media_type: ociIndex, digest: target, size: 491, annotations: {} }, created_at: { seconds: 946684800, nanos: 0 }, updated_at: { seconds: 946684800, nanos: 0 } },
  });
  /** containerd's Get as it stands now: each name's current target, absent when not listed. */
  const getFrom = (now: Readonly<Record<string, string | Error>>): Answer => (request) => {
    const name = String(request.name);
    const current = now[name];
    if (current === undefined) throw notFound(name);
    if (current instanceof Error) throw current;
    return record(name, current);
  };
  const deletedNames = (client: FakeApi): string[] => client.calls.filter((c) => c.path.endsWith('/Delete')).map((c) => String(c.request.name));

  it('deletes the images still pointing where the preview saw them, and keeps (without deleting) those that moved or went meanwhile', async (t) => {
    const client = new FakeApi(t, { unary: {
      [`${images}/Get`]: getFrom({ [dangling('a')]: digest('a'), [dangling('b')]: digest('f'), [dangling('d')]: digest('d') }),
      [`${images}/Delete`]: () => ({}),
    } });
    const previewed = [dangling('a'), dangling('b'), dangling('c'), dangling('d')].map((name) => ({ name, digest: digest(name.slice(-1)) }));
    assert.deepEqual(await deletePreviewedImages(client, 'default', previewed), {
      deleted: [dangling('a'), dangling('d')],
      kept: [dangling('b'), dangling('c')],
    });
    assert.deepEqual(deletedNames(client), [dangling('a'), dangling('d')]);
  });

  it('deletes nothing and reports nothing for an empty preview', async (t) => {
    const client = new FakeApi(t, {});
    assert.deepEqual(await deletePreviewedImages(client, 'default', []), { deleted: [], kept: [] });
  });

  it('stops at a failure that is no change of the image (containerd gone), with containerd\'s error', async (t) => {
    const gone = new ContainerdRequestError('UNAVAILABLE', 'Images', fakeAddress, 'connection closed');
    const client = new FakeApi(t, { unary: {
      [`${images}/Get`]: getFrom({ [dangling('a')]: gone, [dangling('b')]: digest('b') }),
      [`${images}/Delete`]: () => ({}),
    } });
    await assert.rejects(deletePreviewedImages(client, 'default', [{ name: dangling('a'), digest: digest('a') }, { name: dangling('b'), digest: digest('b') }]), gone);
    assert.deepEqual(deletedNames(client), []);
  });
});
