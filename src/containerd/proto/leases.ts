// Our own minimal protobuf definition of containerd's Leases service: only the calls and fields
// we read. Method paths and field numbers are what travel on the wire; protobuf skips unknown
// fields, so newer daemons' additions are harmless.
// Checked against api/services/leases/v1/leases.proto (Lease id = 1, created_at = 2, labels = 3;
// Resource id = 1, type = 2), unchanged from 1.6 to 2.x.

export const leasesProto = `
syntax = "proto3";
package containerd.services.leases.v1;

service Leases {
  rpc List (ListRequest) returns (ListResponse);
  rpc ListResources (ListResourcesRequest) returns (ListResourcesResponse);
}
message Lease {
  string id = 1;
  google.protobuf.Timestamp created_at = 2;
  map<string, string> labels = 3;
}
message ListRequest {
  repeated string filters = 1;
}
message ListResponse {
  repeated Lease leases = 1;
}
message Resource {
  string id = 1;
  string type = 2;
}
message ListResourcesRequest {
  string id = 1;
}
message ListResourcesResponse {
  repeated Resource resources = 1;
}
`;
