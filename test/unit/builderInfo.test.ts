// The Builders view's parsers over what buildctl v0.32.2 printed for real (test/fixtures/builders,
// captured from private buildkitds), then over hostile and garbled text, which must never throw.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cacheTotals, formatPlatform, parseDiskUsage, parsePruned, parseWorkers, workerFacts, type Read } from '../../src/buildkit/builderInfo';
import { buildctlFailure } from '../../src/buildkit/builderProbe';
import type { RunResult } from '../../src/process/runner';
import { captured, type Captured } from './builderFixtures';

function value<T>(read: Read<T>): T {
  if (!read.ok) throw new Error(read.problem);
  return read.value;
}

function failed(c: Captured): RunResult {
  return { command: c.argv.join(' '), exitCode: c.exitCode, stdout: c.stdout, stderr: c.stderr, timedOut: false, cancelled: false };
}

describe('buildctl debug workers (captured)', () => {
  it('the containerd worker: its id, platforms in order, version and the labels a person reads', () => {
    const c = captured('workers-containerd');
    assert.match(c.buildctlVersion, /v0\.32\.2/);
    const [worker, ...others] = value(parseWorkers(c.stdout));
    assert.equal(others.length, 0);
    assert.match(worker?.id ?? '', /^[a-z0-9]{25}$/);
    assert.deepEqual(worker?.platforms, ['linux/amd64', 'linux/amd64/v2', 'linux/amd64/v3', 'linux/arm64', 'linux/386']);
    assert.equal(worker?.buildkitVersion, 'v0.32.2');
    const facts = Object.fromEntries(workerFacts(worker));
    assert.equal(facts.executor, 'containerd');
    assert.equal(facts.snapshotter, 'overlayfs');
    assert.equal(facts['containerd namespace'], 'buildkit');
    assert.equal(facts.network, 'host');
    // The well-known ones first, in their order; the rest by full key.
    assert.deepEqual(workerFacts(worker).slice(0, 3).map(([name]) => name), ['executor', 'snapshotter', 'containerd namespace']);
    assert.ok('org.mobyproject.buildkit.worker.containerd.uuid' in facts);
  });

  it('the OCI worker says oci and has no containerd namespace', () => {
    const [worker] = value(parseWorkers(captured('workers-oci').stdout));
    const facts = Object.fromEntries(workerFacts(worker));
    assert.equal(facts.executor, 'oci');
    assert.equal(facts['containerd namespace'], undefined);
    assert.ok(worker?.platforms.includes('linux/arm64'));
  });
});

describe('buildctl du (captured)', () => {
  it('an empty cache prints null: no records', () => {
    assert.equal(captured('du-empty').stdout, 'null\n');
    assert.deepEqual(value(parseDiskUsage(captured('du-empty').stdout)), []);
  });

  it('records with their size, type, description, parents, times and flags', () => {
    const records = value(parseDiskUsage(captured('du-after-builds').stdout));
    assert.equal(records.length, 6);
    const copy = records.find((r) => r.description === '[1/2] COPY busybox /bin/busybox');
    assert.ok(copy);
    assert.equal(copy.size, 3054987);
    assert.equal(copy.recordType, 'regular');
    assert.equal(copy.mutable, false);
    assert.equal(copy.inUse, false);
    assert.equal(copy.shared, false);
    assert.equal(copy.usageCount, 2);
    assert.deepEqual(copy.parents, []);
    assert.equal(copy.lastUsedAt?.toISOString(), '2026-11-30T18:26:09.900Z');
    const run = records.find((r) => r.description.includes('echo running'));
    assert.deepEqual(run?.parents, [copy.id]);
    assert.equal(records.filter((r) => r.recordType === 'source.local').length, 3);
    assert.deepEqual(cacheTotals(records), { total: records.reduce((n, r) => n + r.size, 0), reclaimable: records.reduce((n, r) => n + r.size, 0), shared: 0 });
  });

  it('a build still running: in use, never used yet (lastUsedAt null), a mutable record without a size', () => {
    const records = value(parseDiskUsage(captured('du-in-use').stdout));
    assert.ok(records.length > 0 && records.every((r) => r.inUse && r.lastUsedAt === undefined));
    assert.equal(records.find((r) => r.mutable)?.size, 0);
    assert.equal(cacheTotals(records).reclaimable, 0);
  });
});

describe('buildctl prune --format json (captured)', () => {
  it('one line per removed record; a parent another record still sits on stays', () => {
    const c = captured('prune-by-id');
    const { removed, unreadable } = parsePruned(c.stdout);
    assert.deepEqual(unreadable, []);
    const named = c.argv.filter((a) => a.startsWith('id==')).map((a) => a.slice(4));
    assert.equal(named.length, 2);
    // The RUN record went; its parent (COPY) is also the parent of the image build's RUN.
    assert.deepEqual(removed.map((r) => r.id), [named[1]]);
    assert.equal(parsePruned(captured('prune-parent-only').stdout).removed.length, 0);
    const after = value(parseDiskUsage(captured('du-after-prune').stdout)).map((r) => r.id);
    assert.ok(!after.includes(named[1] ?? '') && after.includes(named[0] ?? ''));
  });
});

describe('buildctl failures (captured stderr) in a line', () => {
  it('no socket, a socket nobody listens on, tcp refused, a bad filter', () => {
    assert.equal(buildctlFailure(failed(captured('workers-no-socket'))), 'no socket at <SOCKET>');
    assert.match(buildctlFailure(failed(captured('workers-refused'))), /^nothing accepts connections at <SOCKET> \(buildkitd stopped/);
    assert.match(buildctlFailure(failed(captured('workers-tcp-refused'))), /^nothing accepts connections at 127\.0\.0\.1:1 /);
    assert.match(buildctlFailure(failed(captured('prune-bad-filter'))), /^rpc error: .*failed to parse prune filters/);
  });

  it('a buildctl that cannot start, a deadline, an empty stderr, permission denied', () => {
    const base = { command: 'buildctl', exitCode: undefined, stdout: '', stderr: '', timedOut: false, cancelled: false };
    assert.match(buildctlFailure({ ...base, failedToStart: 'spawn buildctl ENOENT' }), /buildctl could not start \(spawn buildctl ENOENT\): set containerd\.buildctl\.command/);
    assert.equal(buildctlFailure({ ...base, timedOut: true }), 'buildctl got no answer in time');
    assert.equal(buildctlFailure({ ...base, exitCode: 2 }), 'buildctl ended with 2 and said nothing');
    const denied = 'error: failed to list workers: Unavailable: connection error: desc = "transport: Error while dialing: dial unix /run/buildkit/buildkitd.sock: connect: permission denied"\n';
    assert.match(buildctlFailure({ ...base, exitCode: 1, stderr: denied }), /^permission denied on \/run\/buildkit\/buildkitd\.sock: /);
  });
});

describe('hostile and garbled buildctl output never throws', () => {
  const garbage = ['', ' ', 'null', '{}', '[', '"text"', '42', 'true', '[null, 1, "x", [], {}]', '\u0000\u0001', '{"id":1}',
    '[{"id":{"x":1},"platforms":"linux/amd64","labels":[1],"buildkitVersion":"v1"}]',
    '[{"id":"a","platforms":[null,{"os":"linux"},{"architecture":"arm64"},{"os":"linux","architecture":"arm","variant":7}],"labels":{"k":1,"j":"v"}}]',
    '[{"id":"r","size":"12","inUse":"true","parents":[1,null,"p"],"createdAt":"not a date","lastUsedAt":"0001-01-01T00:00:00Z","usageCount":-3}]',
    '[{"id":"","size":5},{"size":1e400}]', 'error: something\n{"id":"x"}\n', '{"id":"ok"}\n{"id":\n[1]\n'];

  it('workers, du and prune read every one without throwing', () => {
    for (const text of garbage) {
      assert.doesNotThrow(() => parseWorkers(text), text);
      assert.doesNotThrow(() => parseDiskUsage(text), text);
      assert.doesNotThrow(() => parsePruned(text), text);
    }
  });

  it('non-JSON and non-lists are problems that quote what was printed; null is empty', () => {
    const notJson = parseWorkers('error: boom');
    assert.equal(notJson.ok, false);
    assert.match(notJson.ok ? '' : notJson.problem, /^buildctl debug workers is not JSON .*: error: boom$/);
    assert.match(parseDiskUsage('').ok ? '' : (parseDiskUsage('') as { problem: string }).problem, /empty output/);
    assert.deepEqual(parseDiskUsage('{}'), { ok: false, problem: 'buildctl du printed object, not a list of cache records' });
    assert.deepEqual(parseWorkers('null\n'), { ok: true, value: [] });
  });

  it('wrong types read as absent: platforms need os and architecture, labels only strings', () => {
    const [w] = value(parseWorkers(garbage[12] ?? ''));
    // A variant that is not a string is no variant.
    assert.deepEqual(w, { id: 'a', platforms: ['linux/arm'], labels: { j: 'v' }, buildkitVersion: '' });
    assert.equal(formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' }), 'linux/arm/v7');
    assert.equal(formatPlatform('linux/amd64'), undefined);
    const [r] = value(parseDiskUsage(garbage[13] ?? ''));
    assert.deepEqual({ ...r }, { id: 'r', mutable: false, inUse: false, size: 0, createdAt: undefined, lastUsedAt: undefined, usageCount: 0, parents: ['p'], description: '', recordType: '', shared: false });
    // Records without an id cannot be named, so they are not listed; an infinite size reads as 0.
    assert.deepEqual(value(parseDiskUsage(garbage[14] ?? '')), []);
  });

  it('prune output: readable lines count, the rest are kept aside', () => {
    const { removed, unreadable } = parsePruned('{"id":"ok"}\n{"id":\n[1]\n{"size":3}\n');
    assert.deepEqual(removed.map((r) => r.id), ['ok']);
    assert.deepEqual(unreadable, ['{"id":', '[1]', '{"size":3}']);
  });
});
