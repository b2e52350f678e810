// Replays, on one fresh client and BlobCache, the loads the extension starts when it activates
// against a daemon (src/extension.ts and src/views/*): the Namespaces load (Version + namespaces),
// then, when the scope is set, the three views' loads and the namespace counts; a moment later the
// event stream connects and its resync reloads the three views and the namespaces (so the counts
// again) while the first loads still run. Compared with ONE pass of the three views, this shows
// what the duplicate startup loads cost.
import { ContainerdClient } from '../../src/containerd/connection/client';
import { namespaceCounts } from '../../src/containerd/namespaces/namespaceCounts';
import { listSnapshotters } from '../../src/containerd/snapshots/snapshots';
import type { MethodTable } from '../../src/containerd/proto/codec';
import type { ContainerdDaemon } from '../harness/containerdDaemon';
import { CountingApi, profileLoad, type LoadProfile } from './profile';
import { newViewCaches, viewLoads, viewNames, type ViewCaches } from './viewLoads';

export interface StartupFigures {
  /** The three views loaded once, at the same time, on one cache (what a startup needs). */
  readonly onePass: LoadProfile;
  /** The loads a real activation starts (see above). */
  readonly replay: LoadProfile;
}

async function withClient(daemon: ContainerdDaemon, methods: MethodTable, body: (api: CountingApi, cache: ViewCaches) => Promise<unknown>): Promise<LoadProfile> {
  const client = new ContainerdClient(daemon.socket, { methods, timeoutMs: 120_000 });
  try {
    const api = new CountingApi(client);
    const cache = newViewCaches();
    return await profileLoad(daemon.pid, api, () => body(api, cache));
  } finally {
    client.close();
  }
}

export async function replayStartup(opts: { daemon: ContainerdDaemon; methods: MethodTable; namespace: string }): Promise<StartupFigures> {
  const { daemon, methods, namespace } = opts;
  // Each view's load and what follows its rows (image resolution, snapshot users).
  const views = (api: CountingApi, cache: ViewCaches): Promise<unknown> => Promise.all(viewNames.map(async (view) => (await viewLoads[view](api, namespace, cache)).settled));
  const counts = async (api: CountingApi): Promise<unknown> => {
    const snapshotters = (await listSnapshotters(api)).filter((s) => s.ok).map((s) => s.name);
    const names = (await api.unary(methods.method<object, { namespaces: { name: string }[] }>('containerd.services.namespaces.v1.Namespaces', 'List'), {})).namespaces;
    return Promise.all(names.map((n) => namespaceCounts(api, n.name, snapshotters)));
  };
  const namespaces = (api: CountingApi): Promise<unknown> => Promise.all([
    api.unary(methods.method<object, object>('containerd.services.version.v1.Version', 'Version'), {}),
    api.unary(methods.method<object, object>('containerd.services.namespaces.v1.Namespaces', 'List'), {}),
  ]);
  const onePass = await withClient(daemon, methods, views);
  const replay = await withClient(daemon, methods, async (api, cache) => {
    await namespaces(api);
    const first = Promise.all([views(api, cache), counts(api)]);
    // The event stream's first Version answer (one round trip) triggers the resync.
    await api.unary(methods.method<object, object>('containerd.services.version.v1.Version', 'Version'), {});
    const resync = Promise.all([views(api, cache), namespaces(api).then(() => counts(api))]);
    await Promise.all([first, resync]);
  });
  return { onePass, replay };
}
