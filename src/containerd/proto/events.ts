// Our own minimal protobuf definition of containerd's Events service: only the fields we read.
// Method paths and field numbers are what travel on the wire (the same from 1.6 to 2.x);
// protobuf skips unknown fields, so newer daemons' additions are harmless.
// Checked against containerd's api/services/events/v1/events.proto, api/types/event.proto and
// api/events/*.proto at v1.6.20, v1.7.24 and v2.1.9.

/**
 * 2.x declares the streamed message as containerd.types.Envelope, 1.x as
 * containerd.services.events.v1.Envelope: same fields, and a message's name never travels.
 */
export const eventsProto = `
syntax = "proto3";
package containerd.services.events.v1;

service Events {
  rpc Publish (PublishRequest) returns (google.protobuf.Empty);
  rpc Subscribe (SubscribeRequest) returns (stream Envelope);
}
message PublishRequest {
  string topic = 1;
  google.protobuf.Any event = 2;
}
message SubscribeRequest {
  repeated string filters = 1;
}
message Envelope {
  google.protobuf.Timestamp timestamp = 1;
  string namespace = 2;
  string topic = 3;
  google.protobuf.Any event = 4;
}
`;

/**
 * The payloads (Envelope.event) the explorer reads; their full names are the Any type URLs
 * containerd sends, e.g. "containerd.events.TaskExit" (no type.googleapis.com/ prefix).
 * The snapshotter field (5) of the snapshot events exists from 1.7 on; 1.6 leaves it empty.
 * ContentDelete (api/events/content.proto) tells which blob the image documents cache must forget.
 */
export const eventPayloadsProto = `
syntax = "proto3";
package containerd.events;

message ContentDelete {
  string digest = 1;
}

message ContainerCreate {
  message Runtime {
    string name = 1;
  }
  string id = 1;
  string image = 2;
  Runtime runtime = 3;
}
message ContainerUpdate {
  string id = 1;
  string image = 2;
  map<string, string> labels = 3;
  string snapshot_key = 4;
}
message ContainerDelete {
  string id = 1;
}

message NamespaceCreate {
  string name = 1;
  map<string, string> labels = 2;
}
message NamespaceUpdate {
  string name = 1;
  map<string, string> labels = 2;
}
message NamespaceDelete {
  string name = 1;
}

message SnapshotPrepare {
  string key = 1;
  string parent = 2;
  string snapshotter = 5;
}
message SnapshotCommit {
  string key = 1;
  string name = 2;
  string snapshotter = 5;
}
message SnapshotRemove {
  string key = 1;
  string snapshotter = 5;
}

message TaskCreate {
  string container_id = 1;
  string bundle = 2;
  string checkpoint = 5;
  uint32 pid = 6;
}
message TaskStart {
  string container_id = 1;
  uint32 pid = 2;
}
message TaskDelete {
  string container_id = 1;
  uint32 pid = 2;
  uint32 exit_status = 3;
  google.protobuf.Timestamp exited_at = 4;
  string id = 5;
}
message TaskExit {
  string container_id = 1;
  string id = 2;
  uint32 pid = 3;
  uint32 exit_status = 4;
  google.protobuf.Timestamp exited_at = 5;
}
message TaskOOM {
  string container_id = 1;
}
message TaskExecAdded {
  string container_id = 1;
  string exec_id = 2;
}
message TaskExecStarted {
  string container_id = 1;
  string exec_id = 2;
  uint32 pid = 3;
}
message TaskPaused {
  string container_id = 1;
}
message TaskResumed {
  string container_id = 1;
}
`;

/** containerd declares the image events in the images service's package, hence their type URLs. */
export const imageEventsProto = `
syntax = "proto3";
package containerd.services.images.v1;

message ImageCreate {
  string name = 1;
  map<string, string> labels = 2;
}
message ImageUpdate {
  string name = 1;
  map<string, string> labels = 2;
}
message ImageDelete {
  string name = 1;
}
`;
