// Shared message types (google.protobuf well-known types and containerd's own types) that several
// services use. Declared once here under their real package names, written by us from the facts.

export const typesProto = `
syntax = "proto3";
package google.protobuf;

message Timestamp {
  int64 seconds = 1;
  int32 nanos = 2;
}
message Any {
  string type_url = 1;
  bytes value = 2;
}
message Empty {}
message FieldMask {
  repeated string paths = 1;
}
`;

/**
 * containerd's own shared types, for the services that pass mounts between each other (Snapshots
 * hands them out, Diff takes them). Checked against api/types/mount.proto and descriptor.proto at
 * v1.6.20, v1.7.24 and v2.1.9 (Mount type = 1, source = 2, target = 3,
 * options = 4; Descriptor media_type = 1, digest = 2, size = 3, annotations = 5). Mounts are
 * only ever handed back to the daemon as it gave them, so every field it sends is declared.
 */
export const containerdTypesProto = `
syntax = "proto3";
package containerd.types;

message Mount {
  string type = 1;
  string source = 2;
  string target = 3;
  repeated string options = 4;
}
message Descriptor {
  string media_type = 1;
  string digest = 2;
  int64 size = 3;
  map<string, string> annotations = 5;
}
`;
