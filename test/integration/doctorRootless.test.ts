// The doctor as a rootless user runs it, on a real rootless containerd (RootlessKit, nerdctl's
// containerd-rootless.sh): the daemon is discovered through RootlessKit's child_pid and every
// rootless prerequisite is reported as this machine has it (cgroup v1 and no systemd here: warnings
// with their fixes). A user without subordinate id ranges gets the error and the usermod fix.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { defaultAddress } from '../../src/containerd/connection/address';
import type { DoctorFinding } from '../../src/doctor/doctorCheck';
import type { DoctorReport } from '../../src/doctor/report';
import { runScriptAs } from '../harness/asUser';
import { startRootlessContainerd, testUserWithoutSubIds, type RootlessContainerd } from '../harness/rootlessContainerd';
import type { DoctorChildInput } from './doctorChild';

const exec = promisify(execFile);
const child = join(__dirname, 'doctorChild.js');
const of = (report: DoctorReport, check: DoctorFinding['check']): DoctorFinding[] => report.findings.filter((f) => f.check === check);

function input(nerdctl: string): DoctorChildInput {
  return { addresses: [], discovery: true, tools: { nerdctl: [nerdctl], buildctl: ['buildctl'], dlv: ['dlv'], crictl: ['crictl'] }, namespace: 'default', platforms: [], binfmtDir: '/proc/sys/fs/binfmt_misc' };
}

describe('the doctor for a rootless user', () => {
  let rootless: RootlessContainerd | undefined;
  before(async () => {
    rootless = await startRootlessContainerd();
  });
  after(async () => {
    await rootless?.stop();
  });

  it('finds the rootless daemon through child_pid and reports each prerequisite as the machine has it', async () => {
    const r = rootless!;
    const report = await runScriptAs<DoctorReport>(r.user, child, [JSON.stringify(input(r.nerdctl))], r.env);
    const endpoints = of(report, 'endpoint');
    const found = endpoints.find((f) => f.message.startsWith(`rootless (${r.address})`));
    assert.equal(found?.level, 'ok', JSON.stringify(endpoints));
    const version = /Server:\s*\n\s*Version:\s*(\S+)/.exec(await r.ctr(['version']))?.[1];
    assert.match(found?.message ?? '', new RegExp(`containerd ${(version ?? 'x').replace(/[.+~]/g, '\\$&')} answers`));
    // Nothing at the rootful default here: with the rootless daemon answering, that is only info.
    if (!existsSync(defaultAddress)) assert.deepEqual(endpoints.filter((f) => f !== found).map((f) => f.level), ['info']);
    // The snapshotter's directory, read from RootlessKit's child's mountinfo, is the home's file system.
    const homeFs = (await exec('findmnt', ['-n', '-o', 'FSTYPE', '-T', r.home])).stdout.trim();
    assert.match(of(report, 'overlay').find((f) => f.message.startsWith('rootless'))?.message ?? '', new RegExp(`directory is on ${homeFs}, not on overlayfs`));

    const lines = of(report, 'rootless');
    assert.equal(lines[0]?.level, 'ok');
    assert.equal(lines[0]?.message, `Rootless containerd runs: RootlessKit's child is PID ${r.childPid}; its socket is ${r.address}.`);
    for (const [i, tool] of [[1, 'newuidmap'], [2, 'newgidmap']] as const) {
      const setuid = (statSync(`/usr/bin/${tool}`).mode & 0o4000) !== 0;
      assert.equal(lines[i]?.level, setuid ? 'ok' : 'warning', tool);
    }
    const count = (file: string): number => readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith(`${r.user.name}:`)).reduce((sum, l) => sum + Number(l.split(':')[2]), 0);
    assert.ok(count('/etc/subuid') >= 65536);
    assert.equal(lines[3]?.message, `/etc/subuid: ${count('/etc/subuid')} ids for ${r.user.name}.`);
    assert.equal(lines[4]?.message, `/etc/subgid: ${count('/etc/subgid')} ids for ${r.user.name}.`);
    const cgroupFs = (await exec('stat', ['-f', '-c', '%T', '/sys/fs/cgroup'])).stdout.trim();
    if (cgroupFs !== 'cgroup2fs') {
      assert.equal(lines[5]?.level, 'warning');
      assert.match(lines[5]?.fix ?? '', /systemd\.unified_cgroup_hierarchy=1/);
    }
    const init = readFileSync('/proc/1/comm', 'utf8').trim();
    if (init === 'systemd') {
      assert.equal(lines[6]?.level, existsSync(`/var/lib/systemd/linger/${r.user.name}`) ? 'ok' : 'warning');
    } else {
      assert.equal(lines[6]?.level, 'warning');
      assert.match(lines[6]?.message ?? '', new RegExp(`^PID 1 is ${init}, not systemd`));
      assert.equal(lines[7]?.level, 'info');
    }
    assert.equal(lines.length, init === 'systemd' ? 7 : 8);
  });

  it('names the missing subordinate ranges, with usermod, for a user without them', async () => {
    const user = await testUserWithoutSubIds('vscc-nosubid-test');
    const runtime = mkdtempSync(join(tmpdir(), 'vscc-nosubid-run-'));
    chmodSync(runtime, 0o777);
    try {
      const report = await runScriptAs<DoctorReport>(user, child, [JSON.stringify(input('nerdctl'))], { XDG_RUNTIME_DIR: runtime });
      const lines = of(report, 'rootless');
      assert.equal(lines[0]?.level, 'info');
      assert.match(lines[0]?.message ?? '', /No rootless containerd runs for vscc-nosubid-test/);
      assert.equal(lines[3]?.level, 'error');
      // The proposed ranges overlap no other user's: usermod with them would be accepted as is.
      for (const [line, file] of [[lines[3], '/etc/subuid'], [lines[4], '/etc/subgid']] as const) {
        assert.equal(line?.level, 'error');
        const [first, last] = (/--add-sub[ug]ids (\d+)-(\d+) vscc-nosubid-test \(then restart rootless containerd\)\.$/.exec(line?.fix ?? '') ?? []).slice(1).map(Number);
        assert.equal((last ?? 0) - (first ?? 0), 65535, line?.fix);
        for (const entry of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
          const [, start = 0, size = 0] = entry.split(':').map(Number);
          assert.ok((last ?? 0) < start || (first ?? 0) >= start + size, `${file}: ${entry} overlaps ${line?.fix ?? ''}`);
        }
      }
    } finally {
      rmSync(runtime, { recursive: true, force: true });
    }
  });
});
