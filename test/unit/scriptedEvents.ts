// A scripted containerd for event-feed tests: streams the test feeds and ends, Version and
// Publish answers as scripted (Publish echoes the subscription probe, as containerd does).
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { VersionInfo } from '../../src/containerd/connection/client';
import { ContainerdError, ContainerdRequestError, ContainerdUnreachableError } from '../../src/containerd/connection/errors';
import type { EventStreamClient } from '../../src/containerd/events/eventFeed';
import type { Envelope } from '../../src/containerd/events/events';
import type { Method } from '../../src/containerd/proto/codec';
import { CallGuard } from './fakeApi';

export const address = '/run/test/containerd.sock';

export interface FakeStream {
  readonly path: string;
  readonly request: unknown;
  readonly namespace: string | undefined;
  cancelled: boolean;
  push(envelope: Envelope): void;
  end(error: ContainerdError | undefined): void;
}

/**
 * A client whose streams the test feeds and ends, and whose Version answers as scripted. It opens
 * only what the feed is for, an Events.Subscribe to every namespace, publishes only the probe,
 * and refuses anything else (failing the test even when the feed swallows the error).
 */
export class ScriptedClient implements EventStreamClient {
  readonly address = address;
  readonly streams: FakeStream[] = [];
  private readonly guard: CallGuard;
  /** Each Version call takes the next answer; the last one repeats. */
  versionAnswers: (() => Promise<VersionInfo>)[] = [() => Promise.resolve({ version: 'v2.1.9', revision: 'r' })];
  versionCalls = 0;
  /**
   * How Publish (the subscription probe) behaves: `echo` delivers it on the newest stream, as
   * containerd does once the subscription is registered; `late` only from the given attempt on
   * (the race seen on 1.6 and 1.7); `refuse` answers PERMISSION_DENIED (a read-only proxy).
   * Publish takes the next of `versionAnswers` like Version does: a down daemon refuses both.
   */
  publish: { mode: 'echo' } | { mode: 'late'; from: number } | { mode: 'refuse' } = { mode: 'echo' };
  publishCalls = 0;

  constructor(t: TestContext) {
    this.guard = new CallGuard(t);
  }

  async unary<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string): Promise<Res> {
    if (method.path !== '/containerd.services.events.v1.Events/Publish' || namespace !== 'vscode-containerd') {
      this.guard.refuse(`unexpected call ${method.path} in ${namespace ?? '(no namespace)'}`);
    }
    this.publishCalls += 1;
    const next = this.versionAnswers[Math.min(this.versionCalls, this.versionAnswers.length - 1)];
    this.versionCalls += 1;
    assert.ok(next);
    await next();
    if (this.publish.mode === 'refuse') throw new ContainerdRequestError('PERMISSION_DENIED', method.path, address, 'read-only');
    const probe = request as unknown as { topic: string; event: { type_url: string; value: Uint8Array } };
    if (this.publish.mode === 'echo' || this.publishCalls >= this.publish.from) {
      this.last.push({ namespace: 'vscode-containerd', topic: probe.topic, event: probe.event, timestamp: null });
    }
    return {} as Res;
  }

  openStream<Req extends object, Res>(method: Method<Req, Res>, request: Req, onItem: (item: Res) => void, onEnd: (error: ContainerdError | undefined) => void, namespace?: string): () => void {
    if (method.path !== '/containerd.services.events.v1.Events/Subscribe' || !isDeepStrictEqual(request, { filters: [] }) || namespace !== undefined) {
      this.guard.refuse(`unexpected stream ${method.path} ${JSON.stringify(request)} in ${namespace ?? '(no namespace)'}`);
    }
    const stream: FakeStream = {
      path: method.path, request, namespace, cancelled: false,
      push: (envelope) => { if (!stream.cancelled) onItem(envelope as unknown as Res); },
      end: (error) => { if (!stream.cancelled) onEnd(error); },
    };
    this.streams.push(stream);
    return () => { stream.cancelled = true; };
  }

  version(): Promise<VersionInfo> {
    const answer = this.versionAnswers[Math.min(this.versionCalls, this.versionAnswers.length - 1)];
    this.versionCalls += 1;
    assert.ok(answer);
    return answer();
  }

  get last(): FakeStream {
    const stream = this.streams.at(-1);
    assert.ok(stream, 'no stream opened');
    return stream;
  }
}

export const down = (): Promise<VersionInfo> => Promise.reject(new ContainerdUnreachableError('refused', address, `nothing listens on ${address}`));
export const up = (): Promise<VersionInfo> => Promise.resolve({ version: 'v2.1.9', revision: 'r' });

export function envelope(topic: string, namespace = 'default'): Envelope {
  return { namespace, topic, timestamp: { seconds: 1700000000, nanos: 5_000_000 }, event: null };
}
