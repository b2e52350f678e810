// Inspect and Show Stats on the rows of every view: each opens the read-only document of the
// row's own object, on the row's own endpoint and namespace.
import type { Handler } from '../commands/table';
import type { ContainerNode } from '../views/containersTree';
import type { ImageNode } from '../views/imagesTree';
import type { NamespacesNode } from '../model/namespaceRows';
import type { SnapshotsNode } from '../views/snapshotsTree';
import type { InspectDocumentsApi } from './inspectDocuments';

export function inspectCommands(inspect: InspectDocumentsApi): Record<string, Handler> {
  return {
    'containerd.namespaces.inspect': (node?: NamespacesNode) => node?.kind === 'namespace'
      && inspect.open({ kind: 'namespace', address: node.status.endpoint.address, namespace: node.namespace.name, labels: node.namespace.labels }),
    'containerd.images.inspect': (node?: ImageNode) => node?.kind === 'image'
      && inspect.open({ kind: 'image', address: node.image.address, namespace: node.image.namespace, name: node.image.record.name }),
    'containerd.containers.inspect': (node?: ContainerNode) => node?.kind === 'container'
      && inspect.open({ kind: 'container', address: node.address, namespace: node.container.namespace, id: node.container.id }),
    'containerd.containers.stats': (node?: ContainerNode) => node?.kind === 'container'
      && inspect.open({ kind: 'stats', address: node.address, namespace: node.container.namespace, id: node.container.id }),
    'containerd.snapshots.inspect': (node?: SnapshotsNode) => node?.kind === 'snapshot'
      && inspect.open({ kind: 'snapshot', address: node.address, namespace: node.namespace, snapshotter: node.node.snapshot.snapshotter, key: node.node.snapshot.key }),
  };
}
