// The inputs of doctorWording.test.ts: what users' tools print (captured from the real tools in
// test/integration/knownProblems.test.ts and overlayOnOverlay.test.ts) and rootless set-ups.
import type { BinfmtState } from '../../src/buildkit/binfmt';
import type { WorkerInfo } from '../../src/buildkit/builderInfo';
import type { EndpointStatus } from '../../src/containerd/connection/endpointStatus';
import type { Endpoint } from '../../src/containerd/connection/endpoints';
import { ContainerdUnreachableError, type UnreachableReason } from '../../src/containerd/connection/errors';
import type { BinfmtFacts } from '../../src/doctor/binfmtChecks';
import type { BuildkitdFacts } from '../../src/doctor/buildkitdChecks';
import type { CniFacts } from '../../src/doctor/cniChecks';
import type { ConfigurationFacts } from '../../src/doctor/configurationChecks';
import type { DaemonDetails, EndpointFacts } from '../../src/doctor/endpointChecks';
import type { RootlessFacts } from '../../src/doctor/rootlessChecks';
import type { ToolFacts } from '../../src/doctor/toolChecks';

export const toolLines: readonly string[] = [
  'time="2026-12-01T02:00:00Z" level=fatal msg="cannot access containerd socket \\"/tmp/x/missing/containerd.sock\\": no such file or directory"',
  'time="2026-12-01T02:00:00Z" level=fatal msg="cannot access containerd socket \\"/run/containerd/containerd.sock\\" (hint: try running with `--address /var/run/docker/containerd/containerd.sock` to connect to Docker-managed containerd): permission denied"',
  'ctr: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /tmp/x/containerd.sock: connect: connection refused"',
  'time="x" level=fatal msg="rootless containerd not running? (hint: use `containerd-rootless-setuptool.sh install` to start rootless containerd): stat /run/user/1004/containerd-rootless: no such file or directory"',
  'time="x" level=fatal msg="The server does not implement the method /containerd.services.introspection.v1.Introspection/Server"',
  'FATA[0000] rpc error: code = Unimplemented desc = unknown method Server for service containerd.services.introspection.v1.Introspection',
  '#5 ERROR: process "/bin/sh -c echo built" did not complete successfully: mount source: "overlay", target: "/x/cachemounts/buildkit1", fstype: overlay, flags: 0, data: "workdir=/w,upperdir=/u,lowerdir=/l,index=off,redirect_dir=off", err: invalid argument',
  'time="x" level=fatal msg="failed to create shim task: failed to mount rootfs component: mount source: \\"overlay\\", target: \\"/r\\", fstype: overlay, flags: 0, data: \\"workdir=/w,upperdir=/u,lowerdir=/l,index=off\\", err: invalid argument"',
  'the --mount option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled',
  'time="x" level=fatal msg="no buildkit host is available, tried 3 candidates: failed to ping to host unix:///run/buildkit-x/buildkitd.sock: exit status 1\\n"',
  'error: failed to list workers: Unavailable: connection error: desc = "transport: Error while dialing: dial unix /run/buildkit/buildkitd.sock: connect: permission denied"',
  'error: failed to list workers: Unavailable: connection error: desc = "transport: Error while dialing: dial unix ///run/buildkit/buildkitd.sock: connect: no such file or directory"',
  '#5 0.160 exec /hello: exec format error',
  // Near misses: none of them is a known problem.
  'fstype: overlay, flags: x, data: "workdir=/w,upperdir=/u", err: invalid argument',
  'fstype: overlay, flags: 0, data: "workdir=/w,lowerdir=/l", err: invalid argument',
  'dial unix relative.sock: connect: permission denied',
  'the method /containerd.services.introspection.v1.Introspection/Servers is unknown',
];

const base: RootlessFacts = {
  user: { name: 'alice', uid: 1000 },
  newuidmap: { path: '/usr/bin/newuidmap', setuid: true },
  newgidmap: { path: '/usr/bin/newgidmap', setuid: true },
  subuid: 'alice:100000:65536\n',
  subgid: 'alice:100000:65536\n',
  cgroup: { version: 'v2', controllers: ['cpu', 'io', 'memory', 'pids'], controllersFrom: '/c' },
  init: 'systemd',
  runtimeDir: '/run/user/1000',
  child: { pid: 42, alive: true },
  lingering: true,
};

export const rootlessCases: readonly RootlessFacts[] = [
  base,
  { ...base, newuidmap: undefined, newgidmap: { path: '/usr/sbin/newgidmap', setuid: false }, subuid: 'bob:100000:65536\nalice:x100:5\nalice:100:5x\n', subgid: 'alice:100000:10\n', cgroup: { version: 'v1' }, init: undefined, runtimeDir: undefined, lingering: false },
  { ...base, newuidmap: { path: '/opt/newuidmap', setuid: false }, cgroup: { version: 'v2', controllers: [] }, child: { unreadable: 'denied' }, lingering: false },
  { ...base, cgroup: { version: 'none' }, child: { pid: 9, alive: false }, init: 'process_api' },
  { ...base, cgroup: { version: 'v2' }, child: undefined },
];

export const toolCases: readonly ToolFacts[] = [
  { name: 'nerdctl', command: ['nerdctl'], answer: { failed: 'not found (spawn nerdctl ENOENT)' } },
  { name: 'buildctl', command: ['sudo', 'buildctl'], answer: { failed: 'exit 1: boom' } },
  { name: 'dlv', command: ['/opt/dlv'], answer: { failed: 'exit 1: boom' } },
  { name: 'crictl', command: ['crictl'], answer: { version: 'crictl version v1.37.0' } },
  { name: 'nerdctl', command: ['nerdctl'], answer: { version: 'nerdctl version 0.9.1' } },
];

const rootful: Endpoint = { address: '/run/containerd/containerd.sock', label: 'rootful', source: 'rootful' };
const byDefault: Endpoint = { address: '/run/containerd/containerd.sock', label: '/run/containerd/containerd.sock', source: 'default' };
const k3s: Endpoint = { address: '/run/k3s/containerd/containerd.sock', label: 'k3s', source: 'k3s' };
const up = (endpoint: Endpoint): EndpointStatus => ({ endpoint, reachable: true, version: { version: 'v1.7.24', revision: '' }, namespaces: [] });
const down = (endpoint: Endpoint, reason: UnreachableReason): EndpointStatus => ({ endpoint, reachable: false, error: new ContainerdUnreachableError(reason, endpoint.address, `${reason} detail`) });
const overlayRoot = '/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs';
const mounts = (fsType: string): DaemonDetails['mounts'] => ({ from: '/proc/7/mountinfo', list: [{ mountPoint: '/', fsType: 'ext4', source: '/dev/vda' }, { mountPoint: '/var/lib/containerd', fsType, source: fsType }] });

export const endpointCases: readonly (readonly EndpointFacts[])[] = [
  // The default's absence is quiet only beside a daemon that answers, and only when it is absent.
  [{ status: down(byDefault, 'notFound') }, { status: up(k3s) }],
  [{ status: down(byDefault, 'permissionDenied') }, { status: up(k3s) }],
  [{ status: down({ ...k3s, source: 'configured' }, 'notFound') }, { status: up(rootful) }],
  [{ status: down(byDefault, 'notFound') }, { status: down(k3s, 'refused') }],
  [{ status: up(rootful), details: { server: { failed: 'timed out' }, snapshotters: [{ name: 'native', ok: true, capabilities: [] }, { name: 'overlayfs', ok: false, error: '', capabilities: [], root: overlayRoot }], mounts: mounts('xfs') } }],
  [{ status: up(rootful), details: { server: { implemented: true, uuid: 'u', pid: 7, deprecations: [] }, snapshotters: [{ name: 'overlayfs', ok: false, capabilities: [], root: overlayRoot }], mounts: mounts('overlay') } }],
  [{ status: up(rootful), details: { server: { implemented: true, uuid: 'u', deprecations: [] }, snapshotters: [{ name: 'btrfs', ok: false, error: 'not btrfs', capabilities: [] }], mounts: mounts('overlay') } }],
  [{ status: up({ ...rootful, snapshotter: 'overlayfs' }), details: { server: { implemented: false, detail: 'x' }, snapshotters: [{ name: 'overlayfs', ok: true, capabilities: [], root: overlayRoot }] } }],
];

const binfmtState: BinfmtState = { mounted: true, handlers: { 'qemu-aarch64': 'enabled\ninterpreter /usr/bin/qemu-aarch64\n', 'qemu-riscv64': 'disabled\n', 'qemu-s390x': 'flags: enabled-later\n', python3: 'enabled\n' } };
export const binfmtCases: readonly BinfmtFacts[] = [
  { dir: '/b', state: binfmtState, native: 'linux/amd64', platforms: [] },
  { dir: '/b', state: binfmtState, native: 'linux/amd64', platforms: ['linux/amd64', 'linux/386'] },
  { dir: '/b', state: binfmtState, native: 'linux/amd64', platforms: ['linux/arm64', 'linux/amd64'] },
  { dir: '/b', state: { mounted: true, handlers: { python3: 'enabled\n' } }, native: 'linux/arm64', platforms: [] },
];

export const cniCases: readonly CniFacts[] = [
  { dir: '/usr/lib/cni', source: 'found', present: ['bridge', 'portmap', 'firewall', 'tuning', 'host-local'] },
  { dir: '/opt/cni/bin', source: 'default', present: [] },
  { dir: '/x', source: 'nerdctl.toml', present: ['bridge', 'host-local'] },
  { dir: '/y', source: 'CNI_PATH', present: ['bridge', 'portmap', 'firewall', 'host-local'] },
];

export const configurationCases: readonly ConfigurationFacts[] = [
  { env: {}, nerdctlToml: { path: '/etc/nerdctl/nerdctl.toml', config: undefined } },
  { env: { CONTAINERD_ADDRESS: '/a.sock', DOCKER_BUILDKIT: '0', HOME: '/root' }, nerdctlToml: { path: '/t.toml', config: { address: '/a.sock', namespace: 'k8s.io', snapshotter: 'native', dataRoot: '/d', hostsDirs: ['/h'], cniPath: '/c', cniNetconfPath: '/n' } } },
  { env: { DOCKER_BUILDKIT: '1' }, nerdctlToml: { path: '/t.toml', config: {} } },
];

const worker = (platforms: string[], buildkitVersion: string): WorkerInfo => ({ id: 'w', platforms, labels: {}, buildkitVersion });
export const buildkitdCases: readonly BuildkitdFacts[] = [
  { namespace: 'default', candidates: [{ address: 'unix:///run/buildkit/buildkitd.sock', source: 'shared', present: false }], answers: new Map() },
  {
    namespace: 'team',
    candidates: [{ address: 'unix:///a', source: 'namespace', present: true }, { address: 'tcp://b:1234', source: 'setting', present: true }, { address: 'unix:///c', source: 'default', present: true }],
    answers: new Map([['unix:///a', { ok: true, value: [worker(['linux/amd64', 'linux/arm64'], ''), worker(['linux/arm64'], 'v0.32.2')] }], ['tcp://b:1234', { ok: false, problem: 'no answer' }]]),
  },
];
