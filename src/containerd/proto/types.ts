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
