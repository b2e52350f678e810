// What the listing and action functions need from a connection: the two call shapes and the
// method table that turns service/rpc names into descriptors. A ContainerdClient is one; unit
// tests pass a stand-in answering with captured replies.
import type { Method, MethodTable } from '../proto/codec';

/** What one unary call may need beyond its namespace; most calls need none of it. */
export interface CallOptions {
  /**
   * Sent in the `containerd-lease` header: what the call creates (a view snapshot, a diff blob)
   * is held by that lease instead of being collected by containerd's GC the moment it exists.
   */
  readonly lease?: string;
  /** For a call that may take minutes (a Diff of a large writable layer): no deadline; cancel it with `signal`. */
  readonly noDeadline?: boolean;
  /** Aborting cancels the call; it then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

export interface ContainerdApi {
  readonly address: string;
  readonly methods: MethodTable;
  unary<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string, options?: CallOptions): Promise<Res>;
  streamAll<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string): Promise<Res[]>;
  /**
   * A server stream consumed as it arrives, under flow control (the reader's pace holds the daemon
   * back), with no deadline: for long transfers (a layer's bytes). Aborting the signal cancels it.
   */
  streamEach<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace: string | undefined, signal?: AbortSignal): AsyncIterable<Res>;
}

/** google.protobuf.Timestamp as the codec hands it over (int64 seconds as a number). */
export interface ProtoTimestamp { readonly seconds: number | string; readonly nanos: number }

/** google.protobuf.Any as the codec hands it over. */
export interface ProtoAny { readonly type_url: string; readonly value: Uint8Array }

/**
 * The message name an Any's type URL names: containerd sends bare names
 * (`containerd.events.TaskExit`), other publishers the `type.googleapis.com/...` form.
 */
export function typeNameOf(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
}

/**
 * A Timestamp as a Date; undefined for an absent one and for Go's zero time
 * (0001-01-01T00:00:00Z, seconds -62135596800), which containerd sends for "never" (exited_at of a
 * running task), and for the Unix epoch, which proto3 defaults decode to.
 */
export function protoDate(value: ProtoTimestamp | null | undefined): Date | undefined {
  if (!value) return undefined;
  const seconds = Number(value.seconds);
  if (!(seconds > 0)) return undefined;
  return new Date(seconds * 1000 + Math.floor(value.nanos / 1e6));
}

/** An int64/uint64 from the codec (a number; a decimal string where one was written by hand) as a number. */
export function longToNumber(value: string | number | null | undefined): number {
  return Number(value ?? 0);
}
