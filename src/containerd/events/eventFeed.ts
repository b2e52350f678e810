// One Events.Subscribe stream per endpoint, all namespaces, kept open for the extension's life:
// it reconnects with backoff when the daemon goes away, tells the views to resync when it is back
// (events sent while down are lost), and coalesces bursts so 100 events cost one repaint.
import { Backoff, systemTimers, type BackoffOptions, type Cancel, type Timers } from '../connection/backoff';
import type { ContainerdClient } from '../connection/client';
import { ContainerdError, ContainerdUnreachableError, toContainerdError } from '../connection/errors';
import { EventDecoder, subscribeMethod, type ContainerdEvent, type Envelope } from './events';
import type { MethodTable } from '../proto/codec';
import { isProbe, publishProbe } from './subscribeProbe';

export type FeedState =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'connected' }
  /** Emitted after every failed attempt, with the next attempt's delay. */
  | { readonly kind: 'disconnected'; readonly error: ContainerdError; readonly retryInMs: number };

/** What the feed needs of a ContainerdClient. */
export type EventStreamClient = Pick<ContainerdClient, 'address' | 'openStream' | 'version' | 'unary'>;

/**
 * The probe is published again until it comes back, at most this many times: soon at first (the
 * first probe often races the subscriber's registration, and the views wait for the stream),
 * then every 100 ms.
 */
const probeAttempts = 20;
const reprobeMs = (sent: number): number => Math.min(100, 20 * 2 ** (sent - 1));

export interface EventFeedOptions {
  /** The endpoint's client; asked again for every attempt, so a channel reset in between is picked up. */
  readonly client: () => EventStreamClient;
  readonly methods: MethodTable;
  readonly onBatch: (events: readonly ContainerdEvent[]) => void;
  readonly onState?: (state: FeedState) => void;
  /**
   * The stream is (re)established: reload everything. Fires on every connect, the first one
   * included, since changes made before the subscription took hold are not in the stream.
   */
  readonly onResync?: () => void;
  /**
   * Called when the daemon could not be reached (e.g. Connections.reset(address)): a failed
   * grpc-js channel waits out its own backoff (up to minutes), a fresh one dials at once.
   */
  readonly resetChannel?: () => void;
  /**
   * Events arriving within this window after a delivery are delivered together at its end. Default
   * 10 ms: short, so the second event of a pair (create then start, exit then delete) shows soon;
   * storms are damped by the views' reload gates, not here.
   */
  readonly coalesceMs?: number;
  readonly backoff?: Partial<BackoffOptions>;
  /** A connection that lived this long restarts the backoff from its first step. Default 30 s. */
  readonly healthyAfterMs?: number;
  /**
   * A Version call this often while connected (0: never). A killed local daemon ends the stream
   * at once; a frozen one, or a socket forwarded from a VM that went away, only fails a request.
   * Default 30 s.
   */
  readonly probeIntervalMs?: number;
  readonly timers?: Timers;
  readonly decoder?: EventDecoder;
}

/** One attempt: a stream plus the Version probes that vouch for it. */
interface Session {
  readonly client: EventStreamClient;
  probesSent: number;
  cancelStream: Cancel;
  cancelProbe: Cancel | undefined;
  connectedAt: number | undefined;
  /** The stream ended without an error; a last Version call is finding out why. */
  ended: boolean;
}

const noop: Cancel = () => undefined;

export class EventFeed {
  private readonly timers: Timers;
  private readonly backoff: Backoff;
  private readonly decoder: EventDecoder;
  private readonly coalesceMs: number;
  private readonly healthyAfterMs: number;
  private readonly probeIntervalMs: number;
  private session: Session | undefined;
  private cancelRetry: Cancel | undefined;
  private cancelFlush: Cancel | undefined;
  private pending: ContainerdEvent[] = [];
  private currentState: FeedState | undefined;
  private started = false;
  private disposed = false;

  constructor(private readonly options: EventFeedOptions) {
    this.timers = options.timers ?? systemTimers;
    this.backoff = new Backoff(options.backoff);
    this.decoder = options.decoder ?? new EventDecoder();
    this.coalesceMs = options.coalesceMs ?? 10;
    this.healthyAfterMs = options.healthyAfterMs ?? 30_000;
    this.probeIntervalMs = options.probeIntervalMs ?? 30_000;
  }

  /** undefined before start(). */
  get state(): FeedState | undefined {
    return this.currentState;
  }

  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    this.setState({ kind: 'connecting' });
    this.connect();
  }

  /** Ends the stream and every timer; undelivered events are dropped and no callback runs again. */
  dispose(): void {
    this.disposed = true;
    this.endSession();
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    this.pending = [];
  }

  private connect(): void {
    this.cancelRetry = undefined;
    if (this.disposed) return;
    let client: EventStreamClient;
    try {
      client = this.options.client();
    } catch (error) {
      // An invalid address: nothing to stream from, but the setting may change; keep retrying slowly.
      this.retry(undefined, toContainerdError(error, '', 'connect'));
      return;
    }
    const session: Session = { client, probesSent: 0, cancelStream: noop, cancelProbe: undefined, connectedAt: undefined, ended: false };
    this.session = session;
    const method = subscribeMethod(this.options.methods);
    try {
      // No namespace header: Subscribe then sends every namespace's events.
      session.cancelStream = client.openStream(method, { filters: [] },
        (envelope: Envelope) => this.receive(session, envelope),
        (error) => (error ? this.fail(session, error) : this.ended(session)));
    } catch (error) {
      this.fail(session, toContainerdError(error, client.address, method.path));
      return;
    }
    this.confirm(session);
  }

  /**
   * A server stream says nothing until its first event: publish our probe until it comes back
   * (see subscribeProbe.ts). A daemon that refuses Publish (an API proxy allowing reads only)
   * is trusted once a Version call answers, as before.
   */
  private confirm(session: Session): void {
    // Runs at connect, or on the timer below: ending the session or the probe's return cancels it.
    session.cancelProbe = undefined;
    if (session.probesSent >= probeAttempts) {
      this.probe(session);
      return;
    }
    session.probesSent += 1;
    publishProbe(session.client, this.options.methods).then(
      () => {
        if (this.session === session && session.connectedAt === undefined) session.cancelProbe = this.timers.schedule(() => this.confirm(session), reprobeMs(session.probesSent));
      },
      (error: unknown) => {
        const typed = toContainerdError(error, session.client.address, 'Publish');
        if (typed instanceof ContainerdUnreachableError && typed.reason !== 'notContainerd') this.fail(session, typed);
        else this.probe(session);
      },
    );
  }

  private probe(session: Session): void {
    session.cancelProbe = undefined;
    session.client.version().then(
      () => this.alive(session),
      (error: unknown) => this.fail(session, toContainerdError(error, session.client.address, 'Version')),
    );
  }

  private alive(session: Session): void {
    if (this.session !== session || session.ended) return;
    if (session.connectedAt === undefined) {
      session.connectedAt = this.timers.now();
      this.setState({ kind: 'connected' });
      this.options.onResync?.();
    }
    if (this.session === session && this.probeIntervalMs > 0) session.cancelProbe = this.timers.schedule(() => this.probe(session), this.probeIntervalMs);
  }

  /**
   * A stream the daemon closed without an error (it is shutting down, say) tells nothing of
   * what comes next: ask the daemon to learn the real reason (refused, not found, ...).
   */
  private ended(session: Session): void {
    if (this.session !== session || session.ended) return;
    session.ended = true;
    session.cancelProbe?.();
    session.client.version().then(
      () => this.fail(session, new ContainerdUnreachableError('unknown', session.client.address, 'containerd closed the event stream')),
      (error: unknown) => this.fail(session, toContainerdError(error, session.client.address, 'Version')),
    );
  }

  private receive(session: Session, envelope: Envelope): void {
    if (this.session !== session) return;
    if (isProbe(envelope)) {
      session.cancelProbe?.();
      this.alive(session);
      return;
    }
    this.pending.push(this.decoder.decode(envelope));
    if (this.cancelFlush) return;
    // Leading edge: an event after a quiet spell shows at once; what follows within the window
    // is gathered and delivered at its end (a burst costs a repaint per window, not per event).
    this.flush();
    this.openWindow();
  }

  private openWindow(): void {
    this.cancelFlush = this.timers.schedule(() => {
      this.cancelFlush = undefined;
      if (this.pending.length === 0) return;
      this.flush();
      this.openWindow();
    }, this.coalesceMs);
  }

  /** Delivers what is pending now; the window (if any) stays as it is. */
  private flush(): void {
    if (this.pending.length === 0 || this.disposed) return;
    const batch = this.pending;
    this.pending = [];
    this.options.onBatch(batch);
  }

  private fail(session: Session, error: ContainerdError): void {
    if (this.session !== session) return;
    this.endSession();
    // What arrived before the drop did happen; deliver it before saying we are down.
    this.flush();
    if (session.connectedAt !== undefined && this.timers.now() - session.connectedAt >= this.healthyAfterMs) this.backoff.reset();
    this.retry(session, error);
  }

  private retry(session: Session | undefined, error: ContainerdError): void {
    if (error instanceof ContainerdUnreachableError && session) this.options.resetChannel?.();
    const retryInMs = this.backoff.next();
    this.setState({ kind: 'disconnected', error, retryInMs });
    // A listener may have disposed the feed.
    if (this.disposed) return;
    this.cancelRetry = this.timers.schedule(() => this.connect(), retryInMs);
  }

  private endSession(): void {
    const session = this.session;
    this.session = undefined;
    session?.cancelProbe?.();
    session?.cancelStream();
  }

  /** 'disconnected' repeats (new error, new delay); 'connecting' comes once, 'connected' once per session. */
  private setState(state: FeedState): void {
    this.currentState = state;
    this.options.onState?.(state);
  }
}
