// Our own minimal protobuf definitions of the payloads containerd's runc shim puts in Any fields of
// the Tasks answers: cgroup statistics (Metrics: Metric.data) and process details (ListPids:
// ProcessInfo.info). Only the fields we read. The cgroup statistics were checked against
// github.com/containerd/cgroups stats/v1 + v2/stats (v1.0.4, used by containerd 1.6) and
// cgroup1/stats + cgroup2/stats (v3.1.3, used by 1.7 and 2.x): the numbers did not change.
// Their full names are the Any type URLs: io.containerd.cgroups.v1.Metrics on cgroup v1 hosts,
// io.containerd.cgroups.v2.Metrics on cgroup v2 (unified) hosts.

export const cgroupsV1MetricsProto = `
syntax = "proto3";
package io.containerd.cgroups.v1;

message Metrics {
  PidsStat pids = 2;
  CPUStat cpu = 3;
  MemoryStat memory = 4;
}
message PidsStat {
  uint64 current = 1;
  uint64 limit = 2;
}
message CPUStat {
  CPUUsage usage = 1;
}
message CPUUsage {
  uint64 total = 1;
  uint64 kernel = 2;
  uint64 user = 3;
}
message MemoryStat {
  uint64 cache = 1;
  uint64 rss = 2;
  uint64 total_inactive_file = 30;
  MemoryEntry usage = 33;
}
message MemoryEntry {
  uint64 limit = 1;
  uint64 usage = 2;
  uint64 max = 3;
  uint64 failcnt = 4;
}
`;

export const cgroupsV2MetricsProto = `
syntax = "proto3";
package io.containerd.cgroups.v2;

message Metrics {
  PidsStat pids = 1;
  CPUStat cpu = 2;
  MemoryStat memory = 4;
}
message PidsStat {
  uint64 current = 1;
  uint64 limit = 2;
}
message CPUStat {
  uint64 usage_usec = 1;
  uint64 user_usec = 2;
  uint64 system_usec = 3;
}
message MemoryStat {
  uint64 anon = 1;
  uint64 file = 2;
  uint64 inactive_file = 13;
  uint64 usage = 32;
  uint64 usage_limit = 33;
  uint64 max_usage = 36;
}
`;

/** api/types/runc/options/oci.proto (1.6: runtime/v2/runc/options): set for exec'd processes. */
export const runcProcessDetailsProto = `
syntax = "proto3";
package containerd.runc.v1;

message ProcessDetails {
  string exec_id = 1;
}
`;
