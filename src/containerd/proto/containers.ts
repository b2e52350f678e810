// Our own minimal protobuf definition of containerd's Containers service: only the fields we read.
// Method paths and field numbers are what travel on the wire (the same from 1.6 to 2.x);
// protobuf skips unknown fields, so newer daemons' additions are harmless.
// Checked against api/services/containers/v1/containers.proto at v1.6.20, v1.7.24 and v2.1.9
// (sandbox = 11 exists from 1.7 on; 1.6 leaves it empty).

/**
 * Two views of the one wire message containerd.services.containers.v1.Container: the listing one
 * leaves out spec (5, the whole OCI spec as JSON) and extensions (10), so ListStream decodes
 * cheaply (protobuf skips them); Get decodes the full one for inspect.
 */
export const containersProto = `
syntax = "proto3";
package containerd.services.containers.v1;

service Containers {
  rpc Get (GetContainerRequest) returns (GetContainerResponse);
  rpc ListStream (ListContainersRequest) returns (stream ListContainerMessage);
}
message Runtime {
  string name = 1;
  google.protobuf.Any options = 2;
}
message ContainerListing {
  string id = 1;
  map<string, string> labels = 2;
  string image = 3;
  Runtime runtime = 4;
  string snapshotter = 6;
  string snapshot_key = 7;
  google.protobuf.Timestamp created_at = 8;
  google.protobuf.Timestamp updated_at = 9;
  string sandbox = 11;
}
message Container {
  string id = 1;
  map<string, string> labels = 2;
  string image = 3;
  Runtime runtime = 4;
  google.protobuf.Any spec = 5;
  string snapshotter = 6;
  string snapshot_key = 7;
  google.protobuf.Timestamp created_at = 8;
  google.protobuf.Timestamp updated_at = 9;
  map<string, google.protobuf.Any> extensions = 10;
  string sandbox = 11;
}
message GetContainerRequest {
  string id = 1;
}
message GetContainerResponse {
  Container container = 1;
}
message ListContainersRequest {
  repeated string filters = 1;
}
message ListContainerMessage {
  ContainerListing container = 1;
}
`;
