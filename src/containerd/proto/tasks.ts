// Our own minimal protobuf definition of containerd's Tasks service: only the fields we read.
// Method paths and field numbers are what travel on the wire (the same from 1.6 to 2.x);
// protobuf skips unknown fields, so newer daemons' additions are harmless.
// Checked against api/services/tasks/v1/tasks.proto, api/types/task/task.proto and
// api/types/metrics.proto at v1.6.20, v1.7.24 and v2.1.9.

/**
 * containerd declares Status, Process and ProcessInfo in containerd.v1.types and Metric in
 * containerd.types; a message's or enum's name never travels (only field numbers and enum values
 * do), and one proto text holds one package, so they are declared here beside the service.
 */
export const tasksProto = `
syntax = "proto3";
package containerd.services.tasks.v1;

service Tasks {
  rpc Delete (DeleteTaskRequest) returns (DeleteResponse);
  rpc Get (GetRequest) returns (GetResponse);
  rpc List (ListTasksRequest) returns (ListTasksResponse);
  rpc Kill (KillRequest) returns (google.protobuf.Empty);
  rpc ListPids (ListPidsRequest) returns (ListPidsResponse);
  rpc Metrics (MetricsRequest) returns (MetricsResponse);
}

enum Status {
  UNKNOWN = 0;
  CREATED = 1;
  RUNNING = 2;
  STOPPED = 3;
  PAUSED = 4;
  PAUSING = 5;
}
message Process {
  string container_id = 1;
  string id = 2;
  uint32 pid = 3;
  Status status = 4;
  uint32 exit_status = 9;
  google.protobuf.Timestamp exited_at = 10;
}
message ProcessInfo {
  uint32 pid = 1;
  google.protobuf.Any info = 2;
}
message Metric {
  google.protobuf.Timestamp timestamp = 1;
  string id = 2;
  google.protobuf.Any data = 3;
}

message DeleteTaskRequest {
  string container_id = 1;
}
message DeleteResponse {
  string id = 1;
  uint32 pid = 2;
  uint32 exit_status = 3;
  google.protobuf.Timestamp exited_at = 4;
}
message GetRequest {
  string container_id = 1;
  string exec_id = 2;
}
message GetResponse {
  Process process = 1;
}
message ListTasksRequest {
  string filter = 1;
}
message ListTasksResponse {
  repeated Process tasks = 1;
}
message KillRequest {
  string container_id = 1;
  string exec_id = 2;
  uint32 signal = 3;
  bool all = 4;
}
message ListPidsRequest {
  string container_id = 1;
}
message ListPidsResponse {
  repeated ProcessInfo processes = 1;
}
message MetricsRequest {
  repeated string filters = 1;
}
message MetricsResponse {
  repeated Metric metrics = 1;
}
`;
