// containerd's event envelopes turned into plain events, and a batch of them summarized into what
// the views must reload. The stream itself (reconnects, coalescing) lives in eventFeed.ts.
import { protoDate, typeNameOf, type ProtoAny, type ProtoTimestamp } from '../connection/api';
import { LazyRoot, type Method, type MethodTable } from '../proto/codec';
import { eventPayloadsProto, imageEventsProto } from '../proto/events';
import { typesProto } from '../proto/types';


/** One streamed Envelope, as the codec decodes it (absent messages are null). */
export interface Envelope {
  readonly timestamp?: ProtoTimestamp | null;
  readonly namespace: string;
  readonly topic: string;
  readonly event?: ProtoAny | null;
}

export interface SubscribeRequest { readonly filters?: readonly string[] }

export interface ContainerdEvent {
  /** The namespace the event happened in. For /namespaces/* on 1.6 this is the caller's namespace: read payload.name. */
  readonly namespace: string;
  /** e.g. /tasks/exit, /images/create, /snapshot/prepare. */
  readonly topic: string;
  readonly timestamp?: Date;
  /** e.g. containerd.events.TaskExit (containerd sends no type.googleapis.com/ prefix). */
  readonly typeUrl: string;
  /**
   * The decoded payload with protobuf field names (container_id, exit_status, ...), Timestamps as
   * Dates; undefined for payload types we do not declare (content create, sandboxes, others' topics).
   */
  readonly payload?: Readonly<Record<string, unknown>>;
}

export function subscribeMethod(methods: MethodTable): Method<SubscribeRequest, Envelope> {
  return methods.method<SubscribeRequest, Envelope>('containerd.services.events.v1.Events', 'Subscribe');
}

const timestampType = 'google.protobuf.Timestamp';

/**
 * Decodes envelopes and their payloads. The payload types are parsed into a root of their own, on
 * first use: the method table has no by-name lookup and needs none of them.
 */
export class EventDecoder {
  private readonly root = new LazyRoot([typesProto, eventPayloadsProto, imageEventsProto]);

  decode(envelope: Envelope): ContainerdEvent {
    const typeUrl = envelope.event?.type_url ?? '';
    const timestamp = protoDate(envelope.timestamp);
    const payload = envelope.event ? this.payload(typeUrl, envelope.event.value) : undefined;
    return {
      namespace: envelope.namespace,
      topic: envelope.topic,
      typeUrl,
      ...(timestamp ? { timestamp } : {}),
      ...(payload ? { payload } : {}),
    };
  }

  /** The Any's value decoded by its type URL; undefined when the type is unknown or the bytes are bad. */
  payload(typeUrl: string, value: Uint8Array): Record<string, unknown> | undefined {
    const typeName = typeNameOf(typeUrl);
    if (!this.root.has(typeName)) return undefined;
    let decoded: Record<string, unknown>;
    try {
      decoded = this.root.decode(typeName, value);
    } catch {
      return undefined;
    }
    // A Timestamp field decodes to its message, or to null when absent.
    for (const name of this.root.fieldsOfType(typeName, timestampType)) decoded[name] = protoDate(decoded[name] as ProtoTimestamp | null);
    return decoded;
  }
}

export type EventArea = 'images' | 'containers' | 'tasks' | 'snapshots' | 'namespaces';

/** Topics by their first segment (/snapshot/prepare: snapshot), and the part of the explorer they concern. */
const areaOfTopic: ReadonlyMap<string | undefined, EventArea> = new Map([
  ['images', 'images'], ['containers', 'containers'], ['tasks', 'tasks'], ['snapshot', 'snapshots'], ['namespaces', 'namespaces'],
]);

/** Which part of the explorer a topic concerns; undefined for topics no view shows (content, sandboxes). */
export function topicArea(topic: string): EventArea | undefined {
  return areaOfTopic.get(topic.split('/')[1]);
}

export interface BatchSummary {
  /** Every namespace an event of a known area touched (its counts may have changed). */
  readonly namespaces: ReadonlySet<string>;
  /** Namespaces whose images / containers / tasks / snapshots changed. */
  readonly images: ReadonlySet<string>;
  readonly containers: ReadonlySet<string>;
  readonly tasks: ReadonlySet<string>;
  readonly snapshots: ReadonlySet<string>;
  /** A namespace was created, updated (labels) or removed. */
  readonly namespaceList: boolean;
  /** Namespaces where a task exited: their /tasks/delete may never come (containerd 2.1). */
  readonly exits: ReadonlySet<string>;
  /** Digests of blobs deleted from each namespace's content store (their namespaces are in `images`). */
  readonly contentDeleted: ReadonlyMap<string, ReadonlySet<string>>;
}

/** What a batch changed, so the views reload only that. */
export function summarize(batch: readonly ContainerdEvent[]): BatchSummary {
  const namespaces = new Set<string>();
  const byArea = { images: new Set<string>(), containers: new Set<string>(), tasks: new Set<string>(), snapshots: new Set<string>() };
  let namespaceList = false;
  const exits = new Set<string>();
  const contentDeleted = new Map<string, Set<string>>();
  for (const event of batch) {
    const digest = event.topic === '/content/delete' ? event.payload?.digest : undefined;
    if (typeof digest === 'string' && digest) {
      // An image of the namespace may have lost a platform: the Images view reloads.
      byArea.images.add(event.namespace);
      contentDeleted.set(event.namespace, (contentDeleted.get(event.namespace) ?? new Set()).add(digest));
      continue;
    }
    const area = topicArea(event.topic);
    if (area === undefined) continue;
    if (area === 'namespaces') {
      namespaceList = true;
      // The payload names the namespace; the envelope's is the caller's on 1.6.
      const name = event.payload?.name;
      namespaces.add(typeof name === 'string' && name ? name : event.namespace);
      continue;
    }
    byArea[area].add(event.namespace);
    if (event.topic === '/tasks/exit') exits.add(event.namespace);
    namespaces.add(event.namespace);
  }
  return { namespaces, ...byArea, namespaceList, exits, contentDeleted };
}
