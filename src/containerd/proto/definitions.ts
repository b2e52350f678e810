// Our own minimal protobuf definitions of the containerd services we call. Only the fields we
// read are declared: protobuf skips unknown fields, so these stay valid from containerd 1.6 to 2.x.
// Method paths (package + service + rpc) and field numbers are what travel on the wire; message
// names are ours.

export const versionProto = `
syntax = "proto3";
package containerd.services.version.v1;

service Version {
  rpc Version (Empty) returns (VersionResponse);
}
message Empty {}
message VersionResponse {
  string version = 1;
  string revision = 2;
}
`;

export const namespacesProto = `
syntax = "proto3";
package containerd.services.namespaces.v1;

service Namespaces {
  rpc List (ListNamespacesRequest) returns (ListNamespacesResponse);
}
message Namespace {
  string name = 1;
  map<string, string> labels = 2;
}
message ListNamespacesRequest {
  string filter = 1;
}
message ListNamespacesResponse {
  repeated Namespace namespaces = 1;
}
`;

export const allProtos = [versionProto, namespacesProto];
