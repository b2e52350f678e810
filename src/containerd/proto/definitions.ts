// Every .proto text the client knows, parsed together into one protobufjs root (see codec.ts).
// Each service's definition lives in its own file, written by us from containerd's API facts.
import { namespacesProto } from './namespaces';
import { versionProto } from './version';

export const allProtos: readonly string[] = [versionProto, namespacesProto];
