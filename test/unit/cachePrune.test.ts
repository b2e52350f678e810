// The prune preview and its arguments: exactly the previewed ids, one `id==` filter each (BuildKit
// ORs its --filter flags), never an empty filter list (which would prune everything), and the
// outcome compared with what buildctl reports removed. Records come from captured `buildctl du`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDiskUsage, parsePruned, type CacheRecord } from '../../src/buildkit/builderInfo';
import { keptSummary, pruneArgs, pruneOutcome, prunePreview } from '../../src/buildkit/cachePrune';
import { captured } from './builderFixtures';

function records(name: string): CacheRecord[] {
  const read = parseDiskUsage(captured(name).stdout);
  if (!read.ok) throw new Error(read.problem);
  return read.value;
}

describe('prune preview', () => {
  it('an idle cache: every record, biggest first', () => {
    const all = records('du-after-builds');
    const { prunable, kept } = prunePreview(all);
    assert.equal(kept.length, 0);
    assert.deepEqual(prunable.map((r) => r.id).sort(), all.map((r) => r.id).sort());
    assert.deepEqual(prunable.map((r) => r.size), [...all.map((r) => r.size)].sort((a, b) => b - a));
  });

  it('a running build: nothing, each kept as in use', () => {
    const { prunable, kept } = prunePreview(records('du-in-use'));
    assert.equal(prunable.length, 0);
    assert.ok(kept.length > 0 && kept.every((k) => k.reason === 'in use'));
    assert.equal(keptSummary(kept), `${kept.length} in use`);
  });

  it('keeps what buildctl prune without --all keeps: shared, internal, frontend; and ids a filter could misread', () => {
    const [base] = records('du-after-builds');
    assert.ok(base);
    const variants: CacheRecord[] = [
      { ...base, id: 'shared1', shared: true },
      { ...base, id: 'internal1', recordType: 'internal' },
      { ...base, id: 'frontend1', recordType: 'frontend' },
      { ...base, id: 'a,id!=b' },
      { ...base, id: 'cachemount1', recordType: 'exec.cachemount' },
      { ...base, id: 'git1', recordType: 'source.git.checkout' },
      { ...base, id: 'cachemount1', recordType: 'exec.cachemount' },
    ];
    const { prunable, kept } = prunePreview(variants);
    assert.deepEqual(prunable.map((r) => r.id), ['cachemount1', 'git1']);
    assert.deepEqual(kept.map((k) => [k.record.id, k.reason]), [
      ['shared1', 'shared with a containerd image'], ['internal1', 'internal to BuildKit'], ['frontend1', 'internal to BuildKit'], ['a,id!=b', 'id not nameable in a filter'],
    ]);
    assert.equal(keptSummary(kept), '1 shared with a containerd image, 2 internal to BuildKit, 1 id not nameable in a filter');
  });
});

describe('prune arguments', () => {
  it('one id== filter per previewed id, JSON output, never --all', () => {
    assert.deepEqual(pruneArgs(['abc', 'def', 'abc']), ['prune', '--format', '{{json .}}', '--filter', 'id==abc', '--filter', 'id==def']);
    assert.ok(!pruneArgs(['abc'])?.includes('--all'));
  });

  it('no ids, or an id a filter could misread, gives no arguments at all', () => {
    assert.equal(pruneArgs([]), undefined);
    for (const id of ['', 'a,b', 'a b', 'x==y', '"q"', 'id!=z', 'a\nb', 'é']) assert.equal(pruneArgs(['ok', id]), undefined, JSON.stringify(id));
  });

  it('the captured prune named exactly the ids pruneArgs writes for them', () => {
    const c = captured('prune-by-id');
    const ids = c.argv.filter((a) => a.startsWith('id==')).map((a) => a.slice(4));
    assert.deepEqual(['buildctl', '--addr', '<ADDRESS>', ...(pruneArgs(ids) ?? [])], c.argv);
  });
});

describe('prune outcome', () => {
  it('captured: the RUN record went, its parent stayed (another build sits on it), nothing unexpected', () => {
    const all = records('du-after-builds');
    const ids = captured('prune-by-id').argv.filter((a) => a.startsWith('id==')).map((a) => a.slice(4));
    const previewed = all.filter((r) => ids.includes(r.id));
    const outcome = pruneOutcome(previewed, parsePruned(captured('prune-by-id').stdout).removed);
    assert.deepEqual(outcome.removed.map((r) => r.id), [ids[1]]);
    assert.deepEqual(outcome.kept.map((r) => r.id), [ids[0]]);
    assert.deepEqual(outcome.unexpected, []);
    assert.equal(outcome.freedBytes, 20480);
  });

  it('a record reported removed that was never previewed is called out', () => {
    const [a, b] = records('du-after-builds');
    const outcome = pruneOutcome([a], [a, b]);
    assert.deepEqual(outcome.unexpected.map((r) => r.id), [b.id]);
    assert.deepEqual(outcome.kept, []);
  });
});
