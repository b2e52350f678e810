// Knowing that containerd has accepted our Events.Subscribe. containerd sends no response
// headers until the first event, and registers the subscriber in its own goroutine: a read made
// as soon as another call answers can still race it (seen on 1.6 and 1.7: the first event
// published right after opening the stream was not delivered). So the feed publishes a probe
// event and waits for a probe to come back on the stream: from then on, nothing is missed. Any
// probe will do, ours or another window's: containerd sent it to us, so we were subscribed.
// The probe goes to a namespace of its own, which containerd does not create, so only
// unfiltered subscribers (ctr events, other windows of this extension) ever see it.
import type { ContainerdClient } from '../connection/client';
import type { MethodTable } from '../proto/codec';
import type { Envelope } from './events';

export const probeTopic = '/vscode-containerd/subscribed';
export const probeNamespace = 'vscode-containerd';
const probeType = 'vscode-containerd.SubscribeProbe';

export type ProbeClient = Pick<ContainerdClient, 'unary'>;

/** Publishes the probe; rejects as the call does. */
export async function publishProbe(client: ProbeClient, methods: MethodTable): Promise<void> {
  const method = methods.method<{ topic: string; event: { type_url: string; value: Uint8Array } }, object>('containerd.services.events.v1.Events', 'Publish');
  await client.unary(method, { topic: probeTopic, event: { type_url: probeType, value: new Uint8Array() } }, probeNamespace);
}

/** Whether the envelope is a probe (never a change to show), whichever window published it. */
export function isProbe(envelope: Envelope): boolean {
  return envelope.topic === probeTopic && envelope.namespace === probeNamespace;
}
