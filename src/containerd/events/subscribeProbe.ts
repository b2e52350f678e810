// Knowing that containerd has accepted our Events.Subscribe. containerd sends no response
// headers until the first event, and registers the subscriber in its own goroutine: a read made
// as soon as another call answers can still race it (seen on 1.6 and 1.7: the first event
// published right after opening the stream was not delivered). So the feed publishes a probe
// event of its own and waits for it to come back on the stream: from then on, nothing is missed.
// The probe goes to a namespace of its own, which containerd does not create, so only
// unfiltered subscribers (ctr events, other windows of this extension) ever see it.
import { randomUUID } from 'node:crypto';
import type { ContainerdClient } from '../connection/client';
import type { MethodTable } from '../proto/codec';
import type { Envelope } from './events';

export const probeTopic = '/vscode-containerd/subscribed';
export const probeNamespace = 'vscode-containerd';
const probeType = 'vscode-containerd.SubscribeProbe';

export type ProbeClient = Pick<ContainerdClient, 'unary'>;

export function newProbeNonce(): string {
  return randomUUID();
}

/** Publishes the probe carrying `nonce`; rejects as the call does. */
export async function publishProbe(client: ProbeClient, methods: MethodTable, nonce: string): Promise<void> {
  const method = methods.method<{ topic: string; event: { type_url: string; value: Uint8Array } }, object>('containerd.services.events.v1.Events', 'Publish');
  await client.unary(method, { topic: probeTopic, event: { type_url: probeType, value: Buffer.from(nonce, 'utf8') } }, probeNamespace);
}

/** Any window's probe (never a change to show); `nonce` set when it is the given one. */
export function probeOf(envelope: Envelope): { nonce: string } | undefined {
  if (envelope.topic !== probeTopic || envelope.namespace !== probeNamespace) return undefined;
  return { nonce: envelope.event ? Buffer.from(envelope.event.value).toString('utf8') : '' };
}
