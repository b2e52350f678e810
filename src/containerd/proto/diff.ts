// Our own minimal protobuf definition of containerd's Diff service: only Diff, with the fields we
// send and read. Method paths and field numbers are what travel on the wire; protobuf skips
// unknown fields, so newer daemons' additions (source_date_epoch, from 1.7) are harmless.
// Checked against api/services/diff/v1/diff.proto at v1.6.20, v1.7.24 and v2.1.9:
// DiffRequest left = 1, right = 2, media_type = 3; DiffResponse diff = 3.

export const diffProto = `
syntax = "proto3";
package containerd.services.diff.v1;

service Diff {
  rpc Diff (DiffRequest) returns (DiffResponse);
}
// left: the lower tree's mounts (none for a snapshot without parent), right: the upper's.
// An uncompressed media type makes the daemon store a plain tar, which we read without inflating.
message DiffRequest {
  repeated containerd.types.Mount left = 1;
  repeated containerd.types.Mount right = 2;
  string media_type = 3;
}
message DiffResponse {
  containerd.types.Descriptor diff = 3;
}
`;
