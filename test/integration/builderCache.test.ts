// The Builders view's reads and its prune, through src/buildkit/builderProbe.ts, on a real private
// buildkitd (containerd 2.x worker): workers and platforms, the cache a build leaves, and a prune
// that removes exactly the previewed records while records built after the preview stay.
// `buildctl du` run by the test itself is the judge.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CacheRecord } from '../../src/buildkit/builderInfo';
import { pruneExactly, readBuilder, readCache, type Buildctl } from '../../src/buildkit/builderProbe';
import { prunePreview } from '../../src/buildkit/cachePrune';
import { runProcess } from '../../src/process/runner';
import { startBuildkitd, type Buildkitd } from '../harness/buildkitd';
import { loadComponents } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { waitFor } from '../harness/waitFor';

/** What buildctl du says now, read by the test (not through the module under test). */
async function duIds(buildkitd: Buildkitd): Promise<string[]> {
  const answer = await buildkitd.buildctl(['du', '--format', '{{json .}}']);
  assert.equal(answer.exitCode, 0, answer.stderr);
  return ((JSON.parse(answer.stdout) as { id: string }[] | null) ?? []).map((r) => r.id).sort();
}

describe('Builders view: reading a buildkitd and pruning its cache (private buildkitd, containerd 2.x)', () => {
  let daemon: ContainerdDaemon;
  let buildkitd: Buildkitd;
  let serial = 0;
  const buildctl: Buildctl = { command: [loadComponents().tools.buildctl], run: runProcess };

  /** A cache-only build FROM scratch (nothing to pull, no image to share layers with): `file` copied in, then `run`. */
  async function build(file: string, run: string): Promise<void> {
    const context = join(daemon.dir, `context-${++serial}`);
    mkdirSync(context);
    copyFileSync(file, join(context, 'payload'));
    writeFileSync(join(context, 'Dockerfile'), `FROM scratch\nCOPY payload /bin/busybox\nRUN ["/bin/busybox", "sh", "-c", "${run}"]\n`);
    const result = await buildkitd.buildctl(['build', '--frontend', 'dockerfile.v0', '--local', `context=${context}`, '--local', `dockerfile=${context}`, '--progress=plain']);
    assert.equal(result.exitCode, 0, result.stderr);
  }

  /**
   * The cache once the last build let go of it: buildctl build returns before buildkitd releases
   * the build's local sources, which `du` shows in use for a moment longer.
   */
  async function cache(): Promise<CacheRecord[]> {
    return waitFor('no cache record in use', async () => {
      const read = await readCache(buildctl, buildkitd.address);
      assert.ok(read.ok, read.ok ? '' : read.problem);
      return read.value.some((r) => r.inUse) ? undefined : read.value;
    }, 20_000, 200);
  }

  before(async () => {
    daemon = await startContainerd('2.x');
    buildkitd = await startBuildkitd(daemon);
  });
  after(async () => {
    await buildkitd?.stop();
    await daemon?.stop();
  });

  it('a reachable builder: its worker with platforms and labels, and an empty cache', async () => {
    const state = await readBuilder(buildctl, buildkitd.address);
    assert.ok(state.reachable, state.reachable ? '' : state.error);
    const [worker, ...others] = state.workers;
    assert.equal(others.length, 0);
    assert.ok(worker?.platforms.includes('linux/amd64') && worker.platforms.includes('linux/arm64'), worker?.platforms.join(', '));
    assert.equal(worker.labels['org.mobyproject.buildkit.worker.executor'], 'containerd');
    assert.equal(worker.labels['org.mobyproject.buildkit.worker.containerd.namespace'], 'buildkit');
    assert.deepEqual(state.cache, { ok: true, value: [] });
  });

  it('an address nothing answers at: unreachable, with the reason in a line', async () => {
    const missing = `unix://${join(daemon.dir, 'nobody', 'buildkitd.sock')}`;
    assert.deepEqual(await readBuilder(buildctl, missing), { address: missing, reachable: false, error: `no socket at ${join(daemon.dir, 'nobody', 'buildkitd.sock')}` });
    const noBuildctl = await readBuilder({ ...buildctl, command: [join(daemon.dir, 'no-buildctl')] }, buildkitd.address);
    assert.match(noBuildctl.reachable ? '' : noBuildctl.error, /^buildctl could not start/);
  });

  it('prunes exactly the previewed records: those built after the preview stay, per buildctl du', async () => {
    const { busybox } = loadComponents();
    await build(busybox.amd64, 'echo first > /first');
    const preview = prunePreview(await cache());
    assert.ok(preview.prunable.length >= 2, `a build leaves records to prune: ${preview.prunable.length}`);
    assert.deepEqual(preview.kept, []);
    const previewed = preview.prunable.map((r) => r.id).sort();
    // Something newer, after the preview and before the prune: a different file, so no shared parent.
    await build(busybox.arm64, 'echo second > /second');
    await cache();
    const before = await duIds(buildkitd);
    const newer = before.filter((id) => !previewed.includes(id));
    assert.ok(newer.length > 0, 'the second build added records');

    const outcome = await pruneExactly(buildctl, buildkitd.address, preview.prunable);
    assert.deepEqual(outcome.removed.map((r) => r.id).sort(), previewed);
    assert.deepEqual(outcome.kept, []);
    assert.deepEqual(outcome.unexpected, []);
    assert.ok(outcome.freedBytes > 0);
    const left = await duIds(buildkitd);
    assert.deepEqual(left.filter((id) => previewed.includes(id)), [], 'every previewed record went');
    assert.deepEqual(left, newer, 'nothing else went');
  });

  it('a previewed parent that a newer record sits on stays, and the outcome says so', async () => {
    const { busybox } = loadComponents();
    await build(busybox.amd64, 'echo third > /third');
    const preview = prunePreview(await cache());
    const copy = preview.prunable.find((r) => r.description.includes('COPY payload') && r.size > 1_000_000 && !r.parents.length
      && preview.prunable.some((child) => child.parents.includes(r.id)));
    assert.ok(copy, 'the COPY record of the build is in the preview');
    // Same file, another RUN: its record sits on the previewed COPY.
    await build(busybox.amd64, 'echo fourth > /fourth');
    await cache();
    const before = await duIds(buildkitd);
    const outcome = await pruneExactly(buildctl, buildkitd.address, preview.prunable);
    assert.deepEqual(outcome.kept.map((r) => r.id), [copy.id]);
    assert.deepEqual(outcome.unexpected, []);
    const left = await duIds(buildkitd);
    const previewed = preview.prunable.map((r) => r.id);
    assert.deepEqual(left, before.filter((id) => !previewed.includes(id) || id === copy.id));
  });
});
