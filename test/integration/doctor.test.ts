// The doctor run as the extension runs it (doctorChild.ts, as root or as a test user), against real
// conditions made here: containerd 1.6, 1.7 and 2.x; a missing socket, a file that is no socket, a
// root socket a normal user cannot open; a real buildkitd and none where nerdctl looks; the real
// tools; binfmt folders of the test's own; CNI folders; a nerdctl.toml. Each line of the report is
// checked against what the machine itself says (ctr, findmnt, /etc/subuid, the tools' pinned versions).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { DoctorFinding } from '../../src/doctor/doctorCheck';
import type { DoctorReport } from '../../src/doctor/report';
import { bridgeNetworkPlugins } from '../../src/doctor/cniChecks';
import { runScriptAs, testUser, type UserIds } from '../harness/asUser';
import { startBuildkitd, type Buildkitd } from '../harness/buildkitd';
import { containerdVersions, loadComponents, type ContainerdVersion } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import type { DoctorChildInput } from './doctorChild';

const exec = promisify(execFile);
const child = join(__dirname, 'doctorChild.js');
const root: UserIds = { name: 'root', uid: 0, gid: 0 };
const components = loadComponents();
const tools = { nerdctl: [components.tools.nerdctl['2.x']], buildctl: [components.tools.buildctl], dlv: [components.tools.dlv], crictl: [components.tools.crictl] };

function doctor(user: UserIds, input: Partial<DoctorChildInput>, env: NodeJS.ProcessEnv = {}): Promise<DoctorReport> {
  const full: DoctorChildInput = { addresses: [], discovery: false, tools, namespace: 'default', platforms: [], binfmtDir: '/nonexistent', ...input };
  return runScriptAs<DoctorReport>(user, child, [JSON.stringify(full)], env);
}

const of = (report: DoctorReport, check: DoctorFinding['check']): DoctorFinding[] => report.findings.filter((f) => f.check === check);

/** The file system type findmnt sees under a path: the oracle for the overlay check's "on ext4". */
async function fsTypeOf(path: string): Promise<string> {
  return (await exec('findmnt', ['-n', '-o', 'FSTYPE', '-T', path])).stdout.trim();
}

describe('the doctor on real daemons', () => {
  const daemons = new Map<ContainerdVersion, ContainerdDaemon>();
  const scratch = mkdtempSync(join(tmpdir(), 'vscc-doctor-'));
  chmodSync(scratch, 0o755);
  let buildkitd: Buildkitd | undefined;

  before(async () => {
    // 1.7 with a plugin_dir: a deprecation it really reports (Go plugin libraries).
    for (const version of containerdVersions) daemons.set(version, await startContainerd(version, undefined, version === '1.7' ? [`plugin_dir = "${join(scratch, 'plugins')}"`] : []));
    buildkitd = await startBuildkitd(daemons.get('2.x')!);
  });
  after(async () => {
    await buildkitd?.stop();
    for (const daemon of daemons.values()) await daemon.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('reports each containerd version as ctr sees it, with its pid, deprecations and snapshotter file system; a missing socket and a plain file as errors', async () => {
    const notSocket = join(scratch, 'not-a-socket');
    writeFileSync(notSocket, 'plain file');
    const missing = join(scratch, 'missing.sock');
    const sockets = containerdVersions.map((v) => daemons.get(v)!.socket);
    const report = await doctor(root, { addresses: [...sockets, missing, notSocket] });
    const endpoints = of(report, 'endpoint');
    assert.equal(endpoints.length, 5);
    const ourPidns = Number(/\[(\d+)\]/.exec((await exec('readlink', ['/proc/self/ns/pid'])).stdout)?.[1]);
    for (const [i, version] of containerdVersions.entries()) {
      const daemon = daemons.get(version)!;
      const finding = endpoints[i];
      const serverVersion = /Server:\s*\n\s*Version:\s*(\S+)/.exec(await daemon.ctr(['version']))?.[1];
      assert.equal(finding.level, 'ok', version);
      assert.equal(finding.message, `${daemon.socket}: containerd ${serverVersion} answers, 0 namespaces.`);
      // containerd 1.7 and later say their pid; 1.6 implements Server without it.
      const server = version === '1.6' ? 'Introspection.Server: yes' : `Introspection.Server: yes (pid ${daemon.pid}, pid namespace ${ourPidns})`;
      assert.ok(finding.evidence?.includes(server), `${version}: ${JSON.stringify(finding.evidence)}`);
      assert.match(finding.evidence?.find((e) => e.startsWith('snapshotters:')) ?? '', /^snapshotters: (.*, )?native, (.*, )?overlayfs(,|$)/);
    }
    const overlay = of(report, 'overlay');
    assert.equal(overlay.length, 3);
    const rootFs = await fsTypeOf(join(daemons.get('2.x')!.dir, 'root'));
    for (const finding of overlay) assert.match(finding.message, new RegExp(`directory is on ${rootFs}, not on overlayfs`));
    // Deprecations: exactly what `ctr deprecations list` says (1.7 and 2.x have the command).
    const listed: string[] = [];
    for (const version of ['1.7', '2.x'] as const) {
      listed.push(...(await daemons.get(version)!.ctr(['deprecations', 'list'])).split('\n').slice(1).map((l) => l.trim().split(/\s+/)[0]).filter((id): id is string => Boolean(id)));
    }
    assert.ok(listed.includes('io.containerd.deprecation/go-plugin-library'));
    const deprecations = of(report, 'deprecation');
    assert.deepEqual(deprecations.flatMap((f) => f.evidence ?? []).sort(), listed.sort());
    assert.match(deprecations[0]?.message ?? '', new RegExp(`^${daemons.get('1.7')!.socket.replace(/[/.]/g, '\\$&')} uses a deprecated feature: Dynamically-linked Go plugins`));
    assert.equal(endpoints[3]?.level, 'error');
    assert.match(endpoints[3]?.message ?? '', /no such file/);
    assert.match(endpoints[3]?.fix ?? '', /^Nothing listens there/);
    assert.equal(endpoints[4]?.level, 'error');
    assert.match(endpoints[4]?.message ?? '', /not a containerd socket/);
    assert.equal(of(report, 'introspection').length, 0);
    // As root, the rootless prerequisites are not this user's business.
    assert.deepEqual(of(report, 'rootless').map((f) => f.level), ['info']);
  });

  it('as a normal user: the root socket is permission denied with the non-root fixes, and the user\'s rootless prerequisites line by line', async () => {
    const user = await testUser('vscc-doctor-test');
    const report = await doctor(user, { addresses: [daemons.get('2.x')!.socket] });
    const [endpoint] = of(report, 'endpoint');
    assert.equal(endpoint?.level, 'error');
    assert.match(endpoint?.message ?? '', /permission denied/);
    assert.match(endpoint?.fix ?? '', /The socket belongs to root\. Run containerd rootless for your user/);
    const rootless = of(report, 'rootless');
    assert.equal(rootless[0]?.message, 'XDG_RUNTIME_DIR is not set: rootless containerd, buildkitd and nerdctl keep their sockets and RootlessKit\'s state there.');
    const setuid = (path: string): boolean => (statSync(path).mode & 0o4000) !== 0;
    assert.equal(rootless[1]?.level, setuid('/usr/bin/newuidmap') ? 'ok' : 'warning');
    assert.equal(rootless[2]?.level, setuid('/usr/bin/newgidmap') ? 'ok' : 'warning');
    const count = (file: string): number => readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith(`${user.name}:`)).reduce((sum, l) => sum + Number(l.split(':')[2]), 0);
    assert.equal(rootless[3]?.message, `/etc/subuid: ${count('/etc/subuid')} ids for ${user.name}.`);
    assert.equal(rootless[4]?.message, `/etc/subgid: ${count('/etc/subgid')} ids for ${user.name}.`);
    const cgroup2 = (await exec('stat', ['-f', '-c', '%T', '/sys/fs/cgroup'])).stdout.trim() === 'cgroup2fs';
    assert.equal(rootless[5]?.level, cgroup2 ? rootless[5]?.level : 'warning');
    if (!cgroup2) assert.match(rootless[5]?.message ?? '', /^cgroup v1: /);
    const init = readFileSync('/proc/1/comm', 'utf8').trim();
    if (init !== 'systemd') {
      assert.equal(rootless[6]?.message.startsWith(`PID 1 is ${init}, not systemd`), true);
      assert.equal(rootless[7]?.level, 'info');
    }
    assert.equal(rootless.length, 8);
  });

  it('finds the buildkitd it is given and says where nerdctl looked when there is none; tools with their pinned versions', async () => {
    const withHost = await doctor(root, { buildkitHost: buildkitd!.address });
    const [found] = of(withHost, 'buildkitd');
    assert.equal(found?.level, 'ok');
    const pinned = /buildkit-(v[\d.]+)\//.exec(components.tools.buildctl)?.[1] ?? 'unknown';
    assert.match(found?.message ?? '', new RegExp(`^buildkitd ${pinned.replace(/\./g, '\\.')} answers at ${buildkitd!.address.replace(/[/.]/g, '\\$&')} \\(setting\\): 1 worker, platforms linux/amd64`));
    const byTool = new Map(of(withHost, 'tools').map((f) => [f.message.split(':')[0], f]));
    assert.match(byTool.get('nerdctl')?.message ?? '', new RegExp(`nerdctl version ${/nerdctl-v([\d.]+)\//.exec(tools.nerdctl[0])?.[1] ?? 'x'}`));
    assert.match(byTool.get('buildctl')?.message ?? '', new RegExp(`buildctl github\\.com/moby/buildkit ${pinned}`));
    assert.match(byTool.get('dlv')?.message ?? '', new RegExp(`Version: ${/dlv-v([\d.]+)\//.exec(tools.dlv[0])?.[1] ?? 'x'}`));
    assert.match(byTool.get('crictl')?.message ?? '', new RegExp(`crictl version ${/crictl-(v[\d.]+)\//.exec(tools.crictl[0])?.[1] ?? 'x'}`));
    assert.ok([...byTool.values()].every((f) => f.level === 'ok'));

    const user = await testUser('vscc-doctor-test');
    const runtime = mkdtempSync(join(scratch, 'runtime-'));
    chmodSync(runtime, 0o777);
    const none = await doctor(user, { namespace: 'team', tools: { ...tools, crictl: ['/nonexistent/crictl'] } }, { XDG_RUNTIME_DIR: runtime });
    const [missing] = of(none, 'buildkitd');
    assert.equal(missing?.level, 'warning');
    assert.deepEqual(missing?.evidence, [
      `unix://${runtime}/buildkit-team/buildkitd.sock (namespace): no socket`,
      `unix://${runtime}/buildkit-default/buildkitd.sock (default): no socket`,
      `unix://${runtime}/buildkit/buildkitd.sock (shared): no socket`,
    ]);
    const crictl = of(none, 'tools').find((f) => f.message.startsWith('crictl'));
    assert.equal(crictl?.level, 'info');
    assert.match(crictl?.message ?? '', /cannot be run: not found/);
  });

  it('binfmt from a folder it is given, CNI where nerdctl looks, nerdctl.toml and the environment in effect', async () => {
    const binfmt = join(scratch, 'binfmt');
    mkdirSync(binfmt);
    writeFileSync(join(binfmt, 'status'), 'enabled\n');
    writeFileSync(join(binfmt, 'qemu-aarch64'), 'enabled\ninterpreter /usr/bin/qemu-aarch64-static\nflags: F\n');
    writeFileSync(join(binfmt, 'qemu-s390x'), 'disabled\ninterpreter /usr/bin/qemu-s390x-static\n');
    const emptyCni = mkdtempSync(join(scratch, 'cni-'));
    const toml = join(scratch, 'nerdctl.toml');
    writeFileSync(toml, 'address = "/run/k3s/containerd/containerd.sock"\nnamespace = "k8s.io"\n[plugins]\nsnapshotter = "ignored"\n');
    const report = await doctor(root, { platforms: ['linux/amd64', 'linux/arm64', 'linux/riscv64', 'linux/s390x'], binfmtDir: binfmt }, { CNI_PATH: components.cniBin, NERDCTL_TOML: toml });
    assert.deepEqual(of(report, 'binfmt').map((f) => f.message.split(':')[0]), ['linux/riscv64', 'linux/s390x']);
    assert.match(of(report, 'binfmt')[1]?.message ?? '', /registered but disabled/);
    assert.deepEqual(of(report, 'binfmt')[0]?.evidence, [`${binfmt}: qemu-aarch64`]);
    const [cni] = of(report, 'cni');
    assert.equal(cni?.level, 'ok');
    assert.deepEqual(cni?.evidence, [`${components.cniBin} (from CNI_PATH): ${bridgeNetworkPlugins.join(', ')}`]);
    const [tomlFinding, envFinding] = of(report, 'configuration');
    assert.deepEqual(tomlFinding?.evidence, ['address = /run/k3s/containerd/containerd.sock', 'namespace = k8s.io']);
    assert.deepEqual(envFinding?.evidence, [`NERDCTL_TOML=${toml}`, `CNI_PATH=${components.cniBin}`]);

    const unmounted = await doctor(root, { platforms: ['linux/arm64'], binfmtDir: join(scratch, 'no-binfmt') }, { CNI_PATH: emptyCni, DOCKER_BUILDKIT: '0' });
    assert.match(of(unmounted, 'binfmt')[0]?.message ?? '', /^binfmt_misc is not mounted/);
    assert.equal(of(unmounted, 'cni')[0]?.level, 'warning');
    assert.deepEqual(of(unmounted, 'dockerBuilder').map((f) => f.level), ['warning']);
  });
});
