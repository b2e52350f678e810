// Our own minimal protobuf definition of containerd's Introspection service: only the fields we read.
// Method paths and field numbers are what travel on the wire (the same from 1.6 to 2.x);
// protobuf skips unknown fields, so newer daemons' additions are harmless.
// Checked against api/services/introspection/v1/introspection.proto at v1.6.20, v1.7.24 and
// v2.1.9 (Server's deprecations: api v1.11.1), and google/rpc/status.proto for init_err.

/** InitError has google.rpc.Status's wire shape (code = 1, message = 2, details = 3). */
export const introspectionProto = `
syntax = "proto3";
package containerd.services.introspection.v1;

service Introspection {
  rpc Plugins (PluginsRequest) returns (PluginsResponse);
  rpc Server (ServerRequest) returns (ServerResponse);
}
message Platform {
  string os = 1;
  string architecture = 2;
  string variant = 3;
}
message InitError {
  int32 code = 1;
  string message = 2;
}
message Plugin {
  string type = 1;
  string id = 2;
  repeated string requires = 3;
  repeated Platform platforms = 4;
  map<string, string> exports = 5;
  repeated string capabilities = 6;
  InitError init_err = 7;
}
message PluginsRequest {
  repeated string filters = 1;
}
message PluginsResponse {
  repeated Plugin plugins = 1;
}
// Server's request is google.protobuf.Empty: an empty message is the same on the wire.
message ServerRequest {}
// Deprecations arrived with containerd 1.7 (pid and pidns too); an older daemon leaves them empty.
message DeprecationWarning {
  string id = 1;
  string message = 2;
}
message ServerResponse {
  string uuid = 1;
  uint64 pid = 2;
  uint64 pidns = 3;
  repeated DeprecationWarning deprecations = 4;
}
`;
