// The calls only the bench makes (the extension never creates anything over gRPC): creating
// containers, snapshots and image records to seed the daemon and to send bursts of events, and
// listing content. Our own minimal definitions, field numbers from containerd's api/services/
// {containers,snapshots,images,content}/v1 protos (the same from 1.6 to 2.x).
import { MethodTable, type Method } from '../../src/containerd/proto/codec';
import { typesProto } from '../../src/containerd/proto/types';

const containersProto = `
syntax = "proto3";
package containerd.services.containers.v1;
service Containers {
  rpc Get (GetContainerRequest) returns (GetContainerResponse);
  rpc Create (CreateContainerRequest) returns (CreateContainerResponse);
}
message Runtime { string name = 1; google.protobuf.Any options = 2; }
message Container {
  string id = 1;
  map<string, string> labels = 2;
  string image = 3;
  Runtime runtime = 4;
  google.protobuf.Any spec = 5;
  string snapshotter = 6;
  string snapshot_key = 7;
}
message GetContainerRequest { string id = 1; }
message GetContainerResponse { Container container = 1; }
message CreateContainerRequest { Container container = 1; }
message CreateContainerResponse { Container container = 1; }
`;

const snapshotsProto = `
syntax = "proto3";
package containerd.services.snapshots.v1;
service Snapshots { rpc Prepare (PrepareSnapshotRequest) returns (PrepareSnapshotResponse); }
message PrepareSnapshotRequest { string snapshotter = 1; string key = 2; string parent = 3; map<string, string> labels = 4; }
message PrepareSnapshotResponse {}
`;

const imagesProto = `
syntax = "proto3";
package containerd.services.images.v1;
service Images { rpc Create (CreateImageRequest) returns (CreateImageResponse); }
message Descriptor { string media_type = 1; string digest = 2; int64 size = 3; map<string, string> annotations = 5; }
message Image { string name = 1; map<string, string> labels = 2; Descriptor target = 3; }
message CreateImageRequest { Image image = 1; }
message CreateImageResponse { Image image = 1; }
`;

const contentProto = `
syntax = "proto3";
package containerd.services.content.v1;
service Content { rpc List (ListContentRequest) returns (stream ListContentResponse); }
message Info { string digest = 1; int64 size = 2; map<string, string> labels = 5; }
message ListContentRequest { repeated string filters = 1; }
message ListContentResponse { repeated Info info = 1; }
`;

export interface WireAny { type_url: string; value: Buffer }
export interface WireContainer {
  id: string;
  labels: Record<string, string>;
  image: string;
  runtime: { name: string; options: WireAny | null } | null;
  spec: WireAny | null;
  snapshotter: string;
  snapshot_key: string;
}
export interface WireDescriptor { media_type: string; digest: string; size: string | number; annotations: Record<string, string> }

/** The bench's methods, parsed on first use like the extension's own. */
export class BenchMethods {
  private readonly table = new MethodTable([typesProto, containersProto, snapshotsProto, imagesProto, contentProto]);

  private method<Req extends object, Res>(service: string, rpc: string): Method<Req, Res> {
    return this.table.method<Req, Res>(service, rpc);
  }

  readonly getContainer = (): Method<{ id: string }, { container: WireContainer }> => this.method('containerd.services.containers.v1.Containers', 'Get');
  readonly createContainer = (): Method<{ container: WireContainer }, object> => this.method('containerd.services.containers.v1.Containers', 'Create');
  readonly prepareSnapshot = (): Method<{ snapshotter: string; key: string; parent: string }, object> => this.method('containerd.services.snapshots.v1.Snapshots', 'Prepare');
  readonly createImage = (): Method<{ image: { name: string; target: WireDescriptor } }, object> => this.method('containerd.services.images.v1.Images', 'Create');
  readonly listContent = (): Method<{ filters: string[] }, { info: { digest: string; labels: Record<string, string> }[] }> => this.method('containerd.services.content.v1.Content', 'List');
}
