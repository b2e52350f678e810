// Our own minimal protobuf definition of containerd's Leases service: only the calls and fields
// we read. Method paths and field numbers are what travel on the wire; protobuf skips unknown
// fields, so newer daemons' additions are harmless.
// Checked against api/services/leases/v1/leases.proto (Lease id = 1, created_at = 2, labels = 3;
// Resource id = 1, type = 2; CreateRequest id = 1, labels = 3; DeleteRequest id = 1, sync = 2),
// unchanged at v1.6.20, v1.7.24 and v2.1.9.

export const leasesProto = `
syntax = "proto3";
package containerd.services.leases.v1;

service Leases {
  rpc List (ListRequest) returns (ListResponse);
  rpc ListResources (ListResourcesRequest) returns (ListResourcesResponse);
  rpc Create (CreateRequest) returns (CreateResponse);
  rpc Delete (DeleteRequest) returns (google.protobuf.Empty);
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
// An empty id asks containerd to pick one.
message CreateRequest {
  string id = 1;
  map<string, string> labels = 3;
}
message CreateResponse {
  Lease lease = 1;
}
// sync: containerd runs its garbage collection before it answers, so what only the lease held is gone.
message DeleteRequest {
  string id = 1;
  bool sync = 2;
}
`;
