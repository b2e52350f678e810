// Our own minimal protobuf definition of containerd's Version service: only the fields we read.
// Method paths and field numbers are what travel on the wire (the same from 1.6 to 2.x);
// protobuf skips unknown fields, so newer daemons' additions are harmless.

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
