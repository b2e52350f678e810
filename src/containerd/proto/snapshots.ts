// Our own minimal protobuf definition of containerd's Snapshots service: only the fields we read.
// Method paths and field numbers are what travel on the wire (the same from 1.6 to 2.x);
// protobuf skips unknown fields, so newer daemons' additions are harmless.
// Checked against api/services/snapshots/v1/snapshots.proto at v1.6.20, v1.7.24 and v2.1.9
// (View and Mounts included).

export const snapshotsProto = `
syntax = "proto3";
package containerd.services.snapshots.v1;

service Snapshots {
  rpc Remove (RemoveSnapshotRequest) returns (google.protobuf.Empty);
  rpc Stat (StatSnapshotRequest) returns (StatSnapshotResponse);
  rpc List (ListSnapshotsRequest) returns (stream ListSnapshotsResponse);
  rpc Usage (UsageRequest) returns (UsageResponse);
  rpc View (ViewSnapshotRequest) returns (ViewSnapshotResponse);
  rpc Mounts (MountsRequest) returns (MountsResponse);
}

enum Kind {
  UNKNOWN = 0;
  VIEW = 1;
  ACTIVE = 2;
  COMMITTED = 3;
}
message Info {
  string name = 1;
  string parent = 2;
  Kind kind = 3;
  google.protobuf.Timestamp created_at = 4;
  google.protobuf.Timestamp updated_at = 5;
  map<string, string> labels = 6;
}
message RemoveSnapshotRequest {
  string snapshotter = 1;
  string key = 2;
}
message StatSnapshotRequest {
  string snapshotter = 1;
  string key = 2;
}
message StatSnapshotResponse {
  Info info = 1;
}
message ListSnapshotsRequest {
  string snapshotter = 1;
  repeated string filters = 2;
}
message ListSnapshotsResponse {
  repeated Info info = 1;
}
message UsageRequest {
  string snapshotter = 1;
  string key = 2;
}
message UsageResponse {
  int64 size = 1;
  int64 inodes = 2;
}
// A read-only view of parent under key; no labels are sent (the lease holds it).
message ViewSnapshotRequest {
  string snapshotter = 1;
  string key = 2;
  string parent = 3;
}
message ViewSnapshotResponse {
  repeated containerd.types.Mount mounts = 1;
}
message MountsRequest {
  string snapshotter = 1;
  string key = 2;
}
message MountsResponse {
  repeated containerd.types.Mount mounts = 1;
}
`;
