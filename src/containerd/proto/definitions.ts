// Every .proto text the client knows, parsed together into one schema (see codec.ts).
// Each service's definition lives in its own file, written by us from containerd's API facts.
import { containersProto } from './containers';
import { contentProto } from './content';
import { diffProto } from './diff';
import { eventsProto } from './events';
import { imagesProto } from './images';
import { introspectionProto } from './introspection';
import { leasesProto } from './leases';
import { namespacesProto } from './namespaces';
import { snapshotsProto } from './snapshots';
import { tasksProto } from './tasks';
import { containerdTypesProto, typesProto } from './types';
import { versionProto } from './version';

export const allProtos: readonly string[] = [
  typesProto, containerdTypesProto, versionProto, namespacesProto, imagesProto, contentProto, containersProto, tasksProto, snapshotsProto, introspectionProto, eventsProto,
  leasesProto, diffProto,
];
