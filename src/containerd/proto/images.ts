// Our own minimal protobuf definition of containerd's Images service: only the fields we read.
// Method paths and field numbers are what travel on the wire (the same from 1.6 to 2.x);
// protobuf skips unknown fields, so newer daemons' additions are harmless.
// Checked against containerd's api/services/images/v1/images.proto and api/types/descriptor.proto
// at v1.6.20, v1.7.24 and v2.1.9 (DeleteImageRequest.target = 3 exists only from 2.0; older daemons skip it as an unknown field).

/**
 * containerd declares the descriptor as containerd.types.Descriptor; a message's name never
 * travels, so it is declared here, in this package, with the same field numbers.
 */
export const imagesProto = `
syntax = "proto3";
package containerd.services.images.v1;

service Images {
  rpc Get (GetImageRequest) returns (GetImageResponse);
  rpc List (ListImagesRequest) returns (ListImagesResponse);
  rpc Update (UpdateImageRequest) returns (UpdateImageResponse);
  rpc Delete (DeleteImageRequest) returns (google.protobuf.Empty);
}
message Descriptor {
  string media_type = 1;
  string digest = 2;
  int64 size = 3;
  map<string, string> annotations = 5;
}
message Image {
  string name = 1;
  map<string, string> labels = 2;
  Descriptor target = 3;
  google.protobuf.Timestamp created_at = 7;
  google.protobuf.Timestamp updated_at = 8;
}
message GetImageRequest {
  string name = 1;
}
message GetImageResponse {
  Image image = 1;
}
message ListImagesRequest {
  repeated string filters = 1;
}
message ListImagesResponse {
  repeated Image images = 1;
}
message UpdateImageRequest {
  Image image = 1;
  google.protobuf.FieldMask update_mask = 2;
}
message UpdateImageResponse {
  Image image = 1;
}
message DeleteImageRequest {
  string name = 1;
  bool sync = 2;
  optional Descriptor target = 3;
}
`;
