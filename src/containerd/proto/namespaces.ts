// Our own minimal protobuf definition of containerd's Namespaces service: only the fields we read.
// Method paths and field numbers are what travel on the wire (the same from 1.6 to 2.x);
// protobuf skips unknown fields, so newer daemons' additions are harmless.

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
