// The doctor's checks by stable name, and its finding type. A name is what the report's section,
// the log and the tests refer to; findings seen in a tool's output carry the same names.
import type { Finding } from '../model/finding';

export type DoctorCheck =
  | 'endpoint' | 'introspection' | 'deprecation' | 'overlay'
  | 'rootless' | 'buildkitd' | 'tools' | 'binfmt' | 'cni' | 'configuration' | 'dockerBuilder';

export type DoctorFinding = Finding<DoctorCheck>;
