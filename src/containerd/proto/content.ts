// Our own minimal protobuf definition of containerd's Content service: only the fields we read.
// Method paths and field numbers are what travel on the wire (the same from 1.6 to 2.x);
// protobuf skips unknown fields, so newer daemons' additions are harmless.
// Checked against containerd's api/services/content/v1/content.proto at v1.6.20, v1.7.24, v2.1.9.

export const contentProto = `
syntax = "proto3";
package containerd.services.content.v1;

service Content {
  rpc Info (InfoRequest) returns (InfoResponse);
  rpc Read (ReadContentRequest) returns (stream ReadContentResponse);
  rpc List (ListContentRequest) returns (stream ListContentResponse);
}
message Info {
  string digest = 1;
  int64 size = 2;
  google.protobuf.Timestamp created_at = 3;
  google.protobuf.Timestamp updated_at = 4;
  map<string, string> labels = 5;
}
message InfoRequest {
  string digest = 1;
}
message InfoResponse {
  Info info = 1;
}
message ListContentRequest {
  repeated string filters = 1;
}
// The Info (1) of each blob with its digest alone: size and labels (gc references, a few per
// blob) are skipped undecoded, which is most of the bytes of a large namespace's listing.
message ListedBlob {
  string digest = 1;
}
message ListContentResponse {
  repeated ListedBlob info = 1;
}
message ReadContentRequest {
  string digest = 1;
  int64 offset = 2;
  int64 size = 3;
}
message ReadContentResponse {
  int64 offset = 1;
  bytes data = 2;
}
`;
