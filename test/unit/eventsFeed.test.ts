// EventFeed and Backoff on a hand-driven clock and a scripted client: coalescing, the backoff
// sequence, resync on reconnect, liveness probes, and that dispose leaves nothing behind.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { Backoff } from '../../src/containerd/connection/backoff';
import { ContainerdError, ContainerdRequestError, ContainerdUnreachableError } from '../../src/containerd/connection/errors';
import { EventFeed, type EventFeedOptions, type FeedState } from '../../src/containerd/events/eventFeed';
import type { ContainerdEvent, Envelope } from '../../src/containerd/events/events';
import { MethodTable } from '../../src/containerd/proto/codec';
import { isProbe, publishProbe } from '../../src/containerd/events/subscribeProbe';
import { exactly, FakeApi } from './fakeApi';
import { FakeTimers } from './fakeTimers';
import type { VersionInfo } from '../../src/containerd/connection/client';
import type { Method } from '../../src/containerd/proto/codec';
import { address, down, envelope, ScriptedClient, up } from './scriptedEvents';

const methods = new MethodTable();

/** Lets promise callbacks (the Version answers) run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function harness(t: TestContext, overrides: Partial<EventFeedOptions> = {}) {
  const timers = new FakeTimers();
  const client = new ScriptedClient(t);
  const batches: (readonly ContainerdEvent[])[] = [];
  const states: FeedState[] = [];
  const log: string[] = [];
  let resyncs = 0;
  let resets = 0;
  const feed = new EventFeed({
    client: () => client,
    methods,
    timers,
    backoff: { random: () => 0.5 },
    probeIntervalMs: 0,
    onBatch: (events) => { batches.push(events); log.push(`batch ${events.length}`); },
    onState: (state) => { states.push(state); log.push(state.kind); },
    onResync: () => { resyncs += 1; log.push('resync'); },
    resetChannel: () => { resets += 1; },
    ...overrides,
  });
  return { timers, client, batches, states, log, feed, resyncs: () => resyncs, resets: () => resets };
}

/** Read through a call: an assert on feed.state would otherwise narrow it for good. */
function stateOf(feed: EventFeed): FeedState | undefined {
  return feed.state;
}

function retryDelays(states: readonly FeedState[]): number[] {
  return states.flatMap((s) => (s.kind === 'disconnected' ? [s.retryInMs] : []));
}

describe('Backoff', () => {
  it('doubles from 250 ms to a 10 s ceiling, and starts over after reset', () => {
    const backoff = new Backoff({ random: () => 0.5 });
    assert.deepEqual(Array.from({ length: 9 }, () => backoff.next()), [250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
    backoff.reset();
    assert.equal(backoff.next(), 250);
  });

  it('spreads each delay by at most 20% and never passes the ceiling', () => {
    const low = new Backoff({ random: () => 0 });
    const high = new Backoff({ random: () => 0.999999 });
    assert.deepEqual([low.next(), low.next(), low.next()], [200, 400, 800]);
    assert.deepEqual([high.next(), high.next(), high.next()], [300, 600, 1200]);
    for (let i = 0; i < 20; i++) assert.ok(high.next() <= 10_000);
  });
});

describe('EventFeed', () => {
  it('subscribes once, to every namespace (no header, no filter), and resyncs on connect', async (t) => {
    const h = harness(t);
    h.feed.start();
    h.feed.start();
    await settle();
    assert.equal(h.client.streams.length, 1);
    assert.equal(h.client.last.path, '/containerd.services.events.v1.Events/Subscribe');
    assert.equal(h.client.last.namespace, undefined);
    assert.deepEqual(h.client.last.request, { filters: [] });
    assert.deepEqual(h.log, ['connecting', 'connected', 'resync']);
    assert.deepEqual(h.feed.state, { kind: 'connected' });
    h.timers.advance(120_000);
    await settle();
    assert.equal(h.client.versionCalls, 1, 'the probe\'s Publish only: no periodic Version call with probeIntervalMs 0');
    h.feed.dispose();
  });

  it('shows a lone event at once, and delivers the rest of a burst of 100 as one batch after the 10 ms window', async (t) => {
    const h = harness(t);
    h.feed.start();
    await settle();
    for (let i = 0; i < 100; i++) h.client.last.push(envelope(i % 2 ? '/tasks/exit' : '/namespaces/create', `ns${i}`));
    assert.deepEqual(h.batches.map((b) => b.length), [1], 'the first event is not held back');
    assert.equal(h.batches[0]?.[0]?.namespace, 'ns0');
    assert.equal(h.batches[0]?.[0]?.timestamp?.toISOString(), '2023-11-14T22:13:20.005Z');
    h.timers.advance(9);
    assert.equal(h.batches.length, 1);
    h.timers.advance(1);
    assert.deepEqual(h.batches.map((b) => b.length), [1, 99]);
    assert.equal(h.batches[1]?.[98]?.topic, '/tasks/exit');
    h.timers.advance(10);
    assert.equal(h.timers.pending, 0, 'a quiet window closes');
    h.client.last.push(envelope('/images/create'));
    assert.equal(h.batches.length, 3, 'after a quiet spell the next event shows at once again');
    h.feed.dispose();
  });

  it('gathers events per window, with the window configurable', async (t) => {
    const h = harness(t, { coalesceMs: 10 });
    h.feed.start();
    await settle();
    h.client.last.push(envelope('/images/create'));
    h.timers.advance(5);
    h.client.last.push(envelope('/images/update'));
    h.client.last.push(envelope('/images/tag'));
    h.timers.advance(5);
    h.client.last.push(envelope('/images/delete'));
    h.timers.advance(10);
    assert.deepEqual(h.batches.map((b) => b.map((e) => e.topic)), [['/images/create'], ['/images/update', '/images/tag'], ['/images/delete']]);
    h.feed.dispose();
  });

  it('resyncs only once its own probe came back on the stream (the subscription is live)', async (t) => {
    const h = harness(t);
    h.client.publish = { mode: 'late', from: 3 };
    h.feed.start();
    await settle();
    assert.equal(h.feed.state?.kind, 'connecting', 'the first probe was lost: not yet subscribed');
    assert.equal(h.resyncs(), 0);
    h.timers.advance(100);
    await settle();
    assert.equal(h.resyncs(), 0);
    h.timers.advance(100);
    await settle();
    assert.equal(h.client.publishCalls, 3);
    assert.deepEqual(h.log, ['connecting', 'connected', 'resync']);
    h.timers.advance(1000);
    await settle();
    assert.equal(h.client.publishCalls, 3, 'no more probes once confirmed');
    assert.equal(h.batches.length, 0, 'probes are never shown as changes');
    h.feed.dispose();
  });

  it('publishes its probe again after 20, 40, 80 ms, then every 100 ms, and trusts a Version answer after 20 probes', async (t) => {
    const h = harness(t);
    h.client.publish = { mode: 'late', from: Infinity };
    h.feed.start();
    const delays = [20, 40, 80, ...Array.from({ length: 16 }, () => 100)];
    for (const [i, delay] of delays.entries()) {
      await settle();
      assert.equal(h.client.publishCalls, i + 1);
      h.timers.advance(delay - 1);
      assert.equal(h.client.publishCalls, i + 1, `probe ${i + 2} not before ${delay} ms`);
      h.timers.advance(1);
      assert.equal(h.client.publishCalls, i + 2, `probe ${i + 2} after ${delay} ms`);
    }
    assert.equal(h.resyncs(), 0);
    await settle();
    h.timers.advance(99);
    assert.equal(h.client.versionCalls, 20, 'Publish calls only');
    h.timers.advance(1);
    assert.equal(h.client.versionCalls, 21, 'one Version call 100 ms after the last probe');
    await settle();
    assert.equal(h.client.publishCalls, 20);
    assert.deepEqual(h.log, ['connecting', 'connected', 'resync']);
    h.timers.advance(10_000);
    await settle();
    assert.equal(h.client.publishCalls, 20, 'no probe once connected');
    h.feed.dispose();
  });

  it('trusts a Version answer where Publish is not implemented (a proxy), but not a socket that is no containerd', async (t) => {
    const unimplemented = (): Promise<VersionInfo> => Promise.reject(new ContainerdUnreachableError('notContainerd', address, 'unknown service containerd.services.events.v1.Events'));
    const proxy = harness(t);
    proxy.client.versionAnswers = [unimplemented, up];
    proxy.feed.start();
    await settle();
    await settle();
    assert.deepEqual(proxy.log, ['connecting', 'connected', 'resync']);
    proxy.feed.dispose();

    const foreign = harness(t);
    foreign.client.versionAnswers = [unimplemented];
    foreign.feed.start();
    await settle();
    await settle();
    const state = stateOf(foreign.feed);
    assert.ok(state?.kind === 'disconnected' && state.error instanceof ContainerdUnreachableError && state.error.reason === 'notContainerd');
    assert.equal(foreign.client.versionCalls, 2, 'Publish, then Version');
    foreign.feed.dispose();
  });

  it('never reports connected a stream that ended while its subscription was being confirmed', async (t) => {
    const h = harness(t);
    h.client.publish = { mode: 'refuse' };
    let answerEnded: (() => void) | undefined;
    // Publish (refused), the Version asked when the stream ended (answered last), the Version the refused Publish falls back to.
    h.client.versionAnswers = [up, () => new Promise<VersionInfo>((resolve) => { answerEnded = () => resolve({ version: 'v2.1.9', revision: 'r' }); }), up];
    h.feed.start();
    h.client.last.end(undefined);
    await settle();
    await settle();
    assert.deepEqual(h.log, ['connecting']);
    answerEnded?.();
    await settle();
    assert.deepEqual(h.log, ['connecting', 'disconnected']);
    assert.equal(h.resyncs(), 0);
    h.feed.dispose();
  });

  it('never reports connected a stream that failed while its Version fallback was on the way', async (t) => {
    const h = harness(t);
    h.client.publish = { mode: 'refuse' };
    let answerLate: (() => void) | undefined;
    // Publish (refused), then the Version it falls back to, answered after the stream failed.
    h.client.versionAnswers = [up, () => new Promise<VersionInfo>((resolve) => { answerLate = () => resolve({ version: 'v2.1.9', revision: 'r' }); })];
    h.feed.start();
    await settle();
    h.client.last.end(new ContainerdUnreachableError('unknown', address, 'Connection dropped'));
    answerLate?.();
    await settle();
    assert.deepEqual(h.log, ['connecting', 'disconnected']);
    h.feed.dispose();
  });

  it('retries a stream that cannot even be opened (a channel shut down), resetting the channel', async (t) => {
    class ShutDown extends ScriptedClient {
      override openStream<Req extends object, Res>(_method: Method<Req, Res>, _request: Req, _onItem: (item: Res) => void, _onEnd: (error: ContainerdError | undefined) => void): () => void {
        throw new Error('Channel has been shut down');
      }
    }
    const h = harness(t);
    const client = new ShutDown(t);
    const feed = new EventFeed({ client: () => client, methods, timers: h.timers, backoff: { random: () => 0.5 }, onBatch: () => undefined,
      onState: (state) => h.states.push(state), resetChannel: () => h.log.push('reset') });
    feed.start();
    await settle();
    const state = stateOf(feed);
    assert.ok(state?.kind === 'disconnected' && state.error instanceof ContainerdUnreachableError && /Channel has been shut down/.test(state.error.message));
    assert.deepEqual(h.log, ['reset']);
    assert.equal(client.publishCalls, 0);
    h.timers.advance(250);
    await settle();
    assert.deepEqual(retryDelays(h.states), [250, 500]);
    feed.dispose();
  });

  it('resets the channel only when the daemon could not be reached, not when it refused the subscription', async (t) => {
    const h = harness(t);
    h.feed.start();
    await settle();
    h.client.last.end(new ContainerdRequestError('PERMISSION_DENIED', '/containerd.services.events.v1.Events/Subscribe', address, 'read-only proxy'));
    const state = stateOf(h.feed);
    assert.ok(state?.kind === 'disconnected' && state.error instanceof ContainerdRequestError);
    assert.equal(h.resets(), 0);
    h.feed.dispose();

    const resets: string[] = [];
    const invalid = new EventFeed({
      client: () => { throw new ContainerdUnreachableError('invalidAddress', 'tcp://x', 'not a unix socket'); },
      methods, timers: new FakeTimers(), onBatch: () => undefined, resetChannel: () => resets.push('reset'),
    });
    invalid.start();
    assert.deepEqual(resets, [], 'no channel was made for an invalid address');
    invalid.dispose();
  });

  it('schedules no retry when a listener disposes the feed on the disconnect', async (t) => {
    const h = harness(t);
    h.client.versionAnswers = [down];
    const feed = new EventFeed({ client: () => h.client, methods, timers: h.timers, onBatch: () => undefined, onState: (state) => { if (state.kind === 'disconnected') feed.dispose(); } });
    feed.start();
    await settle();
    assert.equal(feed.state?.kind, 'disconnected');
    assert.equal(h.timers.pending, 0);
  });

  it('opens no stream when a listener disposes the feed as it starts connecting', (t) => {
    const h = harness(t);
    const feed = new EventFeed({ client: () => h.client, methods, timers: h.timers, onBatch: () => undefined, onState: () => feed.dispose() });
    feed.start();
    assert.equal(h.client.streams.length, 0);
    assert.equal(h.timers.pending, 0);
  });

  it('schedules no probe when a listener disposes the feed on its resync', async (t) => {
    const h = harness(t);
    const feed = new EventFeed({ client: () => h.client, methods, timers: h.timers, probeIntervalMs: 1000, onBatch: () => undefined, onResync: () => feed.dispose() });
    feed.start();
    await settle();
    assert.equal(h.timers.pending, 0);
    assert.equal(h.client.last.cancelled, true);
  });

  it('lets a probe that fails late, for a stream already replaced, leave the new stream alone', async (t) => {
    const h = harness(t, { probeIntervalMs: 1000 });
    h.feed.start();
    await settle();
    let failLate: (() => void) | undefined;
    h.client.versionAnswers = [() => new Promise<VersionInfo>((_, reject) => { failLate = () => reject(new ContainerdUnreachableError('timeout', address, 'Deadline exceeded')); }), up];
    h.client.versionCalls = 0;
    h.timers.advance(1000);
    h.client.last.end(new ContainerdUnreachableError('unknown', address, 'Connection dropped'));
    h.timers.advance(250);
    await settle();
    assert.equal(h.feed.state?.kind, 'connected');
    failLate?.();
    await settle();
    assert.equal(h.feed.state?.kind, 'connected', 'the old stream\'s probe says nothing of the new one');
    assert.equal(h.client.last.cancelled, false);
    h.feed.dispose();
  });

  it('drops what a replaced stream still delivers (grpc-js may emit a buffered message after cancel)', async (t) => {
    class Buffered extends ScriptedClient {
      readonly deliver: ((item: Envelope) => void)[] = [];
      override openStream<Req extends object, Res>(method: Method<Req, Res>, request: Req, onItem: (item: Res) => void, onEnd: (error: ContainerdError | undefined) => void, namespace?: string): () => void {
        this.deliver.push(onItem as unknown as (item: Envelope) => void);
        return super.openStream(method, request, onItem, onEnd, namespace);
      }
    }
    const h = harness(t);
    const client = new Buffered(t);
    const batches: (readonly ContainerdEvent[])[] = [];
    const feed = new EventFeed({ client: () => client, methods, timers: h.timers, backoff: { random: () => 0.5 }, probeIntervalMs: 0, onBatch: (b) => batches.push(b) });
    feed.start();
    await settle();
    client.last.end(new ContainerdUnreachableError('unknown', address, 'Connection dropped'));
    h.timers.advance(250);
    await settle();
    assert.equal(feed.state?.kind, 'connected');
    client.deliver[0]?.(envelope('/tasks/start'));
    h.timers.advance(50);
    assert.deepEqual(batches, []);
    feed.dispose();
  });

  it('publishes no more probes for a stream that failed while one was in flight', async (t) => {
    const h = harness(t);
    h.client.publish = { mode: 'late', from: Infinity };
    h.feed.start();
    assert.equal(h.client.publishCalls, 1);
    h.client.last.end(new ContainerdUnreachableError('unknown', address, 'Connection dropped'));
    await settle();
    h.timers.advance(249);
    await settle();
    assert.equal(h.client.publishCalls, 1);
    h.feed.dispose();
  });

  it('by default probes a connected daemon every 30 s and starts the backoff over after 30 s connected', async (t) => {
    const h = harness(t);
    h.client.versionAnswers = [down, up];
    const feed = new EventFeed({ client: () => h.client, methods, timers: h.timers, backoff: { random: () => 0.5 }, onBatch: () => undefined, onState: (state) => h.states.push(state) });
    feed.start();
    await settle();
    h.timers.advance(250);
    await settle();
    assert.equal(feed.state?.kind, 'connected');
    const calls = h.client.versionCalls;
    h.timers.advance(29_999);
    await settle();
    assert.equal(h.client.versionCalls, calls);
    h.timers.advance(1);
    await settle();
    assert.equal(h.client.versionCalls, calls + 1, 'a Version call 30 s after connecting');
    h.client.last.end(new ContainerdUnreachableError('unknown', address, 'Connection dropped'));
    assert.deepEqual(retryDelays(h.states), [250, 250], 'the connection was healthy: the backoff starts over');
    feed.dispose();
  });

  it('keeps climbing the backoff through a connection that lived less than 30 s by default', async (t) => {
    const h = harness(t);
    h.client.versionAnswers = [down, up];
    const feed = new EventFeed({ client: () => h.client, methods, timers: h.timers, backoff: { random: () => 0.5 }, probeIntervalMs: 0, onBatch: () => undefined, onState: (state) => h.states.push(state) });
    feed.start();
    await settle();
    h.timers.advance(250);
    await settle();
    h.timers.advance(29_999);
    h.client.last.end(new ContainerdUnreachableError('unknown', address, 'Connection dropped'));
    assert.deepEqual(retryDelays(h.states), [250, 500]);
    feed.dispose();
  });

  it('takes another window\'s probe as proof of the subscription too, and never shows a probe as a change', async (t) => {
    const h = harness(t);
    h.client.publish = { mode: 'late', from: Infinity };
    h.feed.start();
    await settle();
    assert.deepEqual(h.log, ['connecting']);
    h.client.last.push({ namespace: 'vscode-containerd', topic: '/vscode-containerd/subscribed', event: { type_url: 'vscode-containerd.SubscribeProbe', value: new Uint8Array() }, timestamp: null });
    assert.deepEqual(h.log, ['connecting', 'connected', 'resync']);
    h.timers.advance(1000);
    await settle();
    assert.equal(h.client.publishCalls, 1, 'no more probes once subscribed');
    h.feed.dispose();
  });

  it('shows no probe of another window as a change, and falls back to a Version answer where Publish is refused', async (t) => {
    const h = harness(t);
    h.client.publish = { mode: 'refuse' };
    h.feed.start();
    await settle();
    assert.deepEqual(h.log, ['connecting', 'connected', 'resync']);
    h.client.last.push({ namespace: 'vscode-containerd', topic: '/vscode-containerd/subscribed', event: { type_url: 'vscode-containerd.SubscribeProbe', value: Buffer.from('another-window') }, timestamp: null });
    h.timers.advance(100);
    assert.equal(h.batches.length, 0);
    h.feed.dispose();
  });

  it('retries an unreachable daemon on the backoff sequence, resetting the channel each time', async (t) => {
    const h = harness(t);
    h.client.versionAnswers = [down];
    h.feed.start();
    for (let i = 0; i < 8; i++) {
      await settle();
      const delay = retryDelays(h.states).at(-1) ?? 0;
      h.timers.advance(delay);
    }
    await settle();
    assert.deepEqual(retryDelays(h.states), [250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
    assert.equal(h.client.streams.length, 9);
    assert.ok(h.client.streams.slice(0, -1).every((s) => s.cancelled), 'every failed attempt\'s stream is cancelled');
    assert.equal(h.resets(), 9);
    assert.equal(h.resyncs(), 0);
    const last = h.states.at(-1);
    assert.ok(last?.kind === 'disconnected' && last.error instanceof ContainerdUnreachableError && last.error.reason === 'refused');
    assert.equal(h.timers.pending, 1, 'only the next retry is scheduled');
    h.feed.dispose();
  });

  it('reconnects by itself when the stream drops, and signals a resync', async (t) => {
    const h = harness(t);
    h.feed.start();
    await settle();
    const first = h.client.last;
    first.push(envelope('/tasks/exit'));
    first.end(new ContainerdUnreachableError('unknown', address, 'Connection dropped'));
    // Events that arrived before the drop go out before the state changes.
    assert.deepEqual(h.log, ['connecting', 'connected', 'resync', 'batch 1', 'disconnected']);
    h.client.versionAnswers = [down, up];
    h.client.versionCalls = 0;
    h.timers.advance(250);
    await settle();
    h.timers.advance(500);
    await settle();
    assert.deepEqual(h.log.slice(5), ['disconnected', 'connected', 'resync']);
    assert.equal(h.resyncs(), 2);
    assert.equal(h.client.streams.length, 3);
    // The dead stream is ignored; the live one flows.
    first.push(envelope('/tasks/start'));
    h.client.last.push(envelope('/tasks/delete'));
    h.timers.advance(50);
    assert.deepEqual(h.batches.at(-1)?.map((e) => e.topic), ['/tasks/delete']);
    h.feed.dispose();
  });

  it('treats a stream the server closed cleanly as a disconnect', async (t) => {
    const h = harness(t);
    h.feed.start();
    await settle();
    h.client.last.end(undefined);
    await settle();
    const state = h.states.at(-1);
    assert.ok(state?.kind === 'disconnected' && state.error instanceof ContainerdUnreachableError && state.error.reason === 'unknown');
    assert.match(state.error.message, /closed the event stream/);
    h.feed.dispose();
  });

  it('names the Version call when the daemon refuses it (a proxy that denies it), after a clean end or on the periodic probe', async (t) => {
    const denied = (): Promise<VersionInfo> => Promise.reject(Object.assign(new Error('7 PERMISSION_DENIED: denied'), { code: 7, details: 'denied' }));
    for (const how of ['ended', 'probe'] as const) {
      const h = harness(t, { probeIntervalMs: 1000 });
      h.feed.start();
      await settle();
      h.client.versionAnswers = [denied];
      h.client.versionCalls = 0;
      if (how === 'ended') h.client.last.end(undefined);
      else h.timers.advance(1000);
      await settle();
      const state = stateOf(h.feed);
      assert.ok(state?.kind === 'disconnected', how);
      assert.equal(state.error.message, 'containerd refused Version: PERMISSION_DENIED: denied', how);
      h.feed.dispose();
    }
  });

  it('asks the daemon why a stream ended without an error, to report the real reason', async (t) => {
    const h = harness(t);
    h.feed.start();
    await settle();
    h.client.versionAnswers = [down];
    h.client.last.end(undefined);
    assert.equal(h.feed.state?.kind, 'connected', 'not yet: the reason is being asked');
    await settle();
    const state = stateOf(h.feed);
    assert.ok(state?.kind === 'disconnected' && state.error instanceof ContainerdUnreachableError && state.error.reason === 'refused', state?.kind);
    assert.equal(h.states.filter((s) => s.kind === 'disconnected').length, 1);
    h.feed.dispose();
  });

  it('keeps climbing the backoff through short-lived connections, and starts over after a healthy one', async (t) => {
    const h = harness(t, { healthyAfterMs: 30_000 });
    h.feed.start();
    await settle();
    for (let i = 0; i < 3; i++) {
      h.client.last.end(new ContainerdUnreachableError('unknown', address, 'Connection dropped'));
      h.timers.advance(retryDelays(h.states).at(-1) ?? 0);
      await settle();
    }
    assert.deepEqual(retryDelays(h.states), [250, 500, 1000]);
    h.timers.advance(30_000);
    h.client.last.end(new ContainerdUnreachableError('unknown', address, 'Connection dropped'));
    assert.deepEqual(retryDelays(h.states), [250, 500, 1000, 250]);
    h.feed.dispose();
  });

  it('notices a daemon that stops answering through the periodic Version probe', async (t) => {
    const h = harness(t, { probeIntervalMs: 1000 });
    h.feed.start();
    await settle();
    assert.equal(h.client.versionCalls, 1);
    h.timers.advance(1000);
    await settle();
    assert.equal(h.client.versionCalls, 2);
    assert.equal(h.feed.state?.kind, 'connected');
    const stream = h.client.last;
    h.client.versionAnswers = [() => Promise.reject(new ContainerdUnreachableError('timeout', address, 'Deadline exceeded'))];
    h.client.versionCalls = 0;
    h.timers.advance(1000);
    await settle();
    const state = stateOf(h.feed);
    assert.ok(state?.kind === 'disconnected' && state.error instanceof ContainerdUnreachableError && state.error.reason === 'timeout');
    assert.ok(stream.cancelled, 'the stale stream is cancelled');
    h.feed.dispose();
  });

  it('reports an address that cannot be used, and keeps trying', () => {
    const timers = new FakeTimers();
    const states: FeedState[] = [];
    const feed = new EventFeed({
      client: () => { throw new ContainerdUnreachableError('invalidAddress', 'tcp://x', 'not a unix socket'); },
      methods, timers, backoff: { random: () => 0.5 }, onBatch: () => undefined, onState: (s) => states.push(s),
    });
    feed.start();
    timers.advance(250);
    assert.deepEqual(states.map((s) => (s.kind === 'disconnected' && s.error instanceof ContainerdUnreachableError ? s.error.reason : s.kind)), ['connecting', 'invalidAddress', 'invalidAddress']);
    feed.dispose();
    assert.equal(timers.pending, 0);
  });

  it('dispose cancels the stream and every timer, and no callback runs afterwards', async (t) => {
    const h = harness(t, { probeIntervalMs: 1000 });
    h.feed.start();
    await settle();
    h.client.last.push(envelope('/images/create'));
    assert.equal(h.timers.pending, 2, 'a probe and a flush are scheduled');
    const stream = h.client.last;
    const before = h.log.length;
    h.feed.dispose();
    assert.ok(stream.cancelled);
    assert.equal(h.timers.pending, 0);
    stream.push(envelope('/images/delete'));
    stream.end(new ContainerdUnreachableError('unknown', address, 'Connection dropped'));
    h.timers.advance(60_000);
    await settle();
    assert.equal(h.log.length, before);
    h.feed.start();
    assert.equal(h.client.streams.length, 1, 'a disposed feed does not start again');
  });

  it('dispose while waiting to retry leaves no real timer behind', async (t) => {
    const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const baseline = timeouts();
    const client = new ScriptedClient(t);
    client.versionAnswers = [down];
    const feed = new EventFeed({ client: () => client, methods, backoff: { initialMs: 60_000 }, onBatch: () => undefined });
    feed.start();
    await settle();
    assert.equal(feed.state?.kind, 'disconnected');
    assert.equal(timeouts(), baseline + 1);
    feed.dispose();
    assert.equal(timeouts(), baseline);
  });
});

describe('subscription probe', () => {
  it('publishes to its own namespace and topic, with a type ctr events can name', async (t) => {
    const api = new FakeApi(t, { unary: { '/containerd.services.events.v1.Events/Publish': exactly(
      { topic: '/vscode-containerd/subscribed', event: { type_url: 'vscode-containerd.SubscribeProbe', value: new Uint8Array() } }, {}, 'vscode-containerd') } }, methods);
    await publishProbe(api, methods);
    assert.equal(api.calls.length, 1);
  });

  it('knows a probe by its topic and namespace together', () => {
    const probe = (topic: string, namespace: string, event: Envelope['event']): Envelope => ({ topic, namespace, event, timestamp: null });
    const value = { type_url: 'vscode-containerd.SubscribeProbe', value: Buffer.from('n') };
    assert.equal(isProbe(probe('/vscode-containerd/subscribed', 'vscode-containerd', value)), true);
    assert.equal(isProbe(probe('/vscode-containerd/subscribed', 'vscode-containerd', null)), true);
    assert.equal(isProbe(probe('/vscode-containerd/subscribed', 'default', value)), false);
    assert.equal(isProbe(probe('/images/create', 'vscode-containerd', value)), false);
  });
});
