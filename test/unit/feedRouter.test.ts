// The feed router on a hand-driven clock and scripted daemons: one feed per endpoint, change
// notices per area, one endpoints read per start (not two), a re-read after a reconnect, the
// extra task read after an exit, and feeds that stop with their endpoint.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { ContainerdUnreachableError } from '../../src/containerd/connection/errors';
import type { FeedState } from '../../src/containerd/events/eventFeed';
import { FeedRouter, type AreaChange } from '../../src/containerd/events/feedRouter';
import { MethodTable } from '../../src/containerd/proto/codec';
import { eventPayloadsProto } from '../../src/containerd/proto/events';
import { typesProto } from '../../src/containerd/proto/types';
import { FakeTimers } from './fakeTimers';
import { oracleEncode, oracleRoot } from './protobufOracle';
import { envelope, ScriptedClient } from './scriptedEvents';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function harness(t: TestContext, reached: Record<string, boolean | undefined>, known?: Record<string, readonly string[]>) {
  const timers = new FakeTimers();
  const clients = new Map<string, ScriptedClient>();
  const changes: AreaChange[] = [];
  const log: string[] = [];
  const connections: string[] = [];
  const resets: string[] = [];
  let endpointReads = 0;
  const router = new FeedRouter({
    client: (address) => {
      let client = clients.get(address);
      if (!client) clients.set(address, (client = new ScriptedClient(t)));
      return client;
    },
    resetChannel: (address) => resets.push(address),
    methods: new MethodTable(),
    lastReached: (address) => reached[address],
    refreshEndpoints: () => { endpointReads += 1; },
    ...(known ? { knownNamespaces: (address: string) => (known[address] ? new Set(known[address]) : undefined) } : {}),
    onChange: (change) => changes.push(change),
    onConnection: (address: string, state: FeedState) => connections.push(`${address} ${state.kind}`),
    log: (level, message) => log.push(`${level}: ${message}`),
    timers,
    feed: { timers, probeIntervalMs: 0, backoff: { random: () => 0.5 } },
  });
  return { timers, clients, changes, log, connections, resets, router, endpointReads: () => endpointReads };
}

const text = (c: AreaChange): string => `${c.area} ${c.namespaces === 'all' ? '*' : [...c.namespaces].join(',')}`;

describe('feed router', () => {
  it('resyncs every area at the first connect without reading the endpoints again', async (t) => {
    const h = harness(t, { '/a.sock': true });
    h.router.reconcile(['/a.sock']);
    await settle();
    assert.deepEqual(h.changes.map(text), ['images *', 'containers *', 'tasks *', 'snapshots *']);
    assert.equal(h.endpointReads(), 0, 'the endpoints were just read: a second read doubles the start-up load');
    assert.deepEqual(h.connections, ['/a.sock connecting', '/a.sock connected']);
    assert.deepEqual(h.log, ['info: event stream of /a.sock connected: resyncing']);
    h.router.disposeAll();
  });

  it('follows a remembered endpoint before the endpoints are read, and keeps that one feed when they are', async (t) => {
    const h = harness(t, { '/a.sock': true });
    h.router.follow('/a.sock');
    h.router.follow('/a.sock');
    await settle();
    assert.equal(h.router.state('/a.sock')?.kind, 'connected');
    assert.deepEqual(h.changes.map(text), ['images *', 'containers *', 'tasks *', 'snapshots *'], 'its first connect loads the views once');
    h.router.reconcile(['/a.sock', '/b.sock']);
    await settle();
    assert.equal(h.clients.get('/a.sock')?.streams.length, 1, 'one Subscribe for /a.sock, however often it was asked to follow');
    assert.deepEqual(h.connections.filter((c) => c.startsWith('/a.sock')), ['/a.sock connecting', '/a.sock connected']);
    h.router.disposeAll();
  });

  it('reads the endpoints at the first connect of a daemon the last read did not include', async (t) => {
    const h = harness(t, {});
    h.router.reconcile(['/new.sock']);
    await settle();
    assert.equal(h.endpointReads(), 1);
    h.router.disposeAll();
  });

  it('resyncs every area of one endpoint on demand (the Refresh button)', (t) => {
    const h = harness(t, {});
    h.router.resync('/a.sock');
    assert.deepEqual(h.changes.map((c) => `${c.address} ${text(c)}`), ['/a.sock images *', '/a.sock containers *', '/a.sock tasks *', '/a.sock snapshots *']);
  });

  it('tells the views of one namespace to re-read an area the extension changed itself (its event may never come)', (t) => {
    const h = harness(t, {});
    h.router.changedByUs('/a.sock', 'tasks', 'ns1');
    assert.deepEqual(h.changes.map((c) => `${c.address} ${text(c)}`), ['/a.sock tasks ns1']);
  });

  it('reads the endpoints again when a daemon that was down comes up, and after every reconnect', async (t) => {
    const h = harness(t, { '/down.sock': false, '/up.sock': true });
    h.router.reconcile(['/down.sock', '/up.sock']);
    await settle();
    assert.equal(h.endpointReads(), 1, 'the daemon unreachable at the read is up now');
    h.clients.get('/up.sock')?.last.end(new ContainerdUnreachableError('unknown', '/up.sock', 'Connection dropped'));
    h.timers.advance(250);
    await settle();
    assert.equal(h.router.state('/up.sock')?.kind, 'connected');
    assert.equal(h.endpointReads(), 2);
    assert.deepEqual(h.resets, ['/up.sock'], 'the channel of the daemon that dropped is reset, no other');
    assert.ok(h.log.includes('warn: event stream of /up.sock: Cannot reach containerd at /up.sock: unknown error (Connection dropped); retrying in 250 ms'), h.log.join('\n'));
    assert.deepEqual(h.connections.filter((c) => c.startsWith('/up.sock')), ['/up.sock connecting', '/up.sock connected', '/up.sock disconnected', '/up.sock connected']);
    h.router.disposeAll();
  });

  it('turns a batch into one notice per area, re-reads tasks after an exit, and reads endpoints on namespace events', async (t) => {
    const h = harness(t, { '/a.sock': true });
    h.router.reconcile(['/a.sock']);
    await settle();
    h.changes.length = 0;
    const stream = h.clients.get('/a.sock')?.last;
    assert.ok(stream);
    stream.push(envelope('/tasks/exit', 'default'));
    h.timers.advance(50);
    stream.push(envelope('/containers/delete', 'team'));
    stream.push(envelope('/images/create', 'team'));
    stream.push(envelope('/namespaces/create', 'new'));
    h.timers.advance(50);
    assert.deepEqual(h.changes.map(text), ['tasks default', 'containers team', 'images team'], 'a lone event at once, then the window');
    assert.equal(h.endpointReads(), 1);
    h.timers.advance(1500);
    assert.deepEqual(h.changes.map(text).slice(3), ['tasks default'], 'no /tasks/delete came: the tasks are read once more');
    h.router.disposeAll();
  });

  it('reads the endpoints when an event comes from a namespace they did not list (made on first use, no namespace event)', async (t) => {
    const h = harness(t, { '/a.sock': true, '/b.sock': true }, { '/a.sock': ['default', 'team'] });
    h.router.reconcile(['/a.sock', '/b.sock']);
    await settle();
    const a = h.clients.get('/a.sock')?.last;
    const b = h.clients.get('/b.sock')?.last;
    assert.ok(a && b);
    a.push(envelope('/containers/create', 'team'));
    h.timers.advance(100);
    assert.equal(h.endpointReads(), 0, 'a listed namespace');
    b.push(envelope('/containers/create', 'elsewhere'));
    h.timers.advance(100);
    assert.equal(h.endpointReads(), 0, 'no namespaces known for that endpoint yet: its first read will list them');
    a.push(envelope('/images/create', 'prune-x'));
    h.timers.advance(100);
    assert.equal(h.endpointReads(), 1);
    // One batch with a listed and an unlisted namespace: the unlisted one is enough. The first
    // event after a quiet spell goes out at once; the two after it share the window's batch.
    a.push(envelope('/containers/create', 'default'));
    a.push(envelope('/containers/create', 'team'));
    a.push(envelope('/images/create', 'import-y'));
    h.timers.advance(100);
    assert.equal(h.endpointReads(), 2, 'a batch that also holds a listed namespace still names a new one');
    h.router.disposeAll();
  });

  it('names the blobs a /content/delete removed on the images notice only', async (t) => {
    const h = harness(t, { '/a.sock': true });
    h.router.reconcile(['/a.sock']);
    await settle();
    h.changes.length = 0;
    const root = oracleRoot([typesProto, eventPayloadsProto]);
    const deleted = (digest: string) => ({ namespace: 'team', topic: '/content/delete', timestamp: null, event: { type_url: 'containerd.events.ContentDelete', value: oracleEncode(root, 'containerd.events.ContentDelete', { digest }) } });
    const stream = h.clients.get('/a.sock')?.last;
    stream?.push(envelope('/images/create', 'team'));
    stream?.push(deleted('sha256:aa'));
    stream?.push(envelope('/containers/create', 'team'));
    h.timers.advance(50);
    stream?.push(envelope('/images/delete', 'team'));
    assert.deepEqual(h.changes, [
      { address: '/a.sock', area: 'images', namespaces: new Set(['team']) },
      { address: '/a.sock', area: 'images', namespaces: new Set(['team']), contentDeleted: new Map([['team', new Set(['sha256:aa'])]]) },
      { address: '/a.sock', area: 'containers', namespaces: new Set(['team']) },
      { address: '/a.sock', area: 'images', namespaces: new Set(['team']) },
    ]);
    h.router.disposeAll();
  });

  it('stops the feed (and its pending re-read) of an endpoint that is gone, and streams only once per endpoint', async (t) => {
    const h = harness(t, { '/a.sock': true, '/b.sock': true });
    h.router.reconcile(['/a.sock', '/b.sock']);
    await settle();
    h.router.reconcile(['/a.sock', '/b.sock']);
    assert.equal(h.clients.get('/a.sock')?.streams.length, 1);
    h.clients.get('/b.sock')?.last.push(envelope('/tasks/exit', 'x'));
    h.router.reconcile(['/a.sock']);
    assert.equal(h.clients.get('/b.sock')?.last.cancelled, true);
    assert.equal(h.router.state('/b.sock'), undefined);
    h.changes.length = 0;
    h.timers.advance(5000);
    assert.deepEqual(h.changes.map(text), []);
    h.clients.get('/a.sock')?.last.push(envelope('/tasks/exit', 'y'));
    h.router.disposeAll();
    assert.equal(h.clients.get('/a.sock')?.last.cancelled, true);
    h.changes.length = 0;
    h.timers.advance(5000);
    assert.deepEqual(h.changes.map(text), [], 'no re-read after every feed stopped');
    assert.equal(h.router.state('/a.sock'), undefined);
  });
});
