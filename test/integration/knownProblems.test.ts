// The findings offered after a failed build or nerdctl call, tested with the real tools' own output
// of each failure, produced here for real: an old containerd (a named stand-in: no real one lacks
// the method), Docker's classic builder, sockets that are missing, refused or not ours, no
// buildkitd anywhere, and a RUN step for a platform with no binfmt handler. Each test asserts the
// tool failed, then that knownProblems finds exactly one problem, of the expected check, with the
// line of that output as its evidence. (Overlay on overlay: overlayOnOverlay.test.ts.)
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DoctorCheck } from '../../src/doctor/doctorCheck';
import { knownProblems } from '../../src/doctor/knownProblems';
import { runProcess } from '../../src/process/runner';
import { testUser, type UserIds } from '../harness/asUser';
import { startBuildkitd } from '../harness/buildkitd';
import { loadComponents, type Components } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { startDockerd } from '../harness/dockerd';
import { buildHello, debianGo } from '../harness/goHello';
import { startIntrospectionStandIn } from '../harness/introspectionStandIn';
import { nerdctlFor, type NerdctlHarness } from '../harness/nerdctlEnv';
import { importBusybox } from '../harness/sampleImage';

const isRoot = process.getuid?.() === 0;

/** knownProblems finds exactly `check`, its evidence the first line of `output` matching `line`. */
function assertOnly(output: string, check: DoctorCheck, line: RegExp): void {
  const evidence = output.split(/\r?\n/).find((l) => line.test(l))?.trim();
  assert.ok(evidence, `no line matching ${line} in:\n${output}`);
  assert.deepEqual(knownProblems(output, isRoot).map((f) => [f.check, f.evidence]), [[check, [evidence]]], output);
}

interface Outcome { readonly code: number | undefined; readonly output: string }

/** A program run as `user` (no supplementary groups), its stdout and stderr together. */
function runAs(user: UserIds, file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(file, args, { uid: user.uid, gid: user.gid, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : undefined) : 0, output: `${stdout}${stderr}` });
    });
  });
}

async function runOutcome(file: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<Outcome> {
  const result = await runProcess({ file, args }, { env, timeoutMs });
  return { code: result.exitCode, output: `${result.stdout}${result.stderr}` };
}

describe("known problems in the real tools' own output", () => {
  let components: Components;
  let daemon: ContainerdDaemon;
  let nerdctl: NerdctlHarness;
  let work: string;
  /** nerdctl build runs buildctl from PATH (the set-up's); a BUILDKIT_HOST of the caller's shell must not steer it. */
  const buildEnv = (): NodeJS.ProcessEnv => ({ ...nerdctl.env, PATH: `${dirname(components.tools.buildctl)}:${process.env.PATH ?? '/usr/bin:/bin'}`, BUILDKIT_HOST: undefined });

  before(async () => {
    components = loadComponents();
    daemon = await startContainerd('2.x');
    nerdctl = nerdctlFor(daemon, components);
    work = mkdtempSync(join(tmpdir(), 'vscc-known-'));
  });
  after(async () => {
    await daemon?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a containerd without Introspection.Server (stand-in): nerdctl info fails there; finding introspection', async (t) => {
    const oldContainerd = await startIntrospectionStandIn();
    try {
      for (const bin of [components.tools.nerdctl['2.x'], components.tools.nerdctl['1.7']]) {
        const { code, output } = await runOutcome(bin, ['--address', oldContainerd.socket, 'info'], { ...nerdctl.env, HOME: work });
        t.diagnostic(`${bin}: ${output.trim()}`);
        assert.equal(code, 1, output);
        assertOnly(output, 'introspection', /Introspection\/Server/);
      }
      // nerdctl reached the method it asks first, after the version: the failure is that method's.
      assert.deepEqual([...new Set(oldContainerd.calls)], ['/containerd.services.version.v1.Version/Version']);
    } finally {
      await oldContainerd.stop();
    }
  });

  it("Docker's classic builder (DOCKER_BUILDKIT=0) meets RUN --mount; finding dockerBuilder", async (t) => {
    const dockerd = await startDockerd(daemon);
    try {
      await importBusybox(daemon, components.busybox, 'docker.io/library/busybox:latest', dockerd.namespace);
      const context = join(work, 'classic');
      mkdirSync(context);
      writeFileSync(join(context, 'Dockerfile'), 'FROM docker.io/library/busybox:latest\nRUN --mount=type=cache,target=/c true\n');
      const result = await dockerd.docker(['build', '--network', 'none', context], { env: { ...dockerd.env, DOCKER_BUILDKIT: '0' } });
      const output = `${result.stdout}${result.stderr}`;
      t.diagnostic(output.trim());
      assert.equal(result.exitCode, 1, output);
      assert.match(output, /legacy builder is deprecated/);
      assertOnly(output, 'dockerBuilder', /^the --mount option requires BuildKit\. Refer to https:\/\/docs\.docker\.com\/go\/buildkit\//);
    } finally {
      await dockerd.stop();
    }
  });

  it('nerdctl at a socket path that does not exist; finding endpoint (nothing listens)', async (t) => {
    const missing = join(work, 'missing', 'containerd.sock');
    for (const bin of [components.tools.nerdctl['2.x'], components.tools.nerdctl['1.7']]) {
      const { code, output } = await runOutcome(bin, ['--address', missing, 'ps'], nerdctl.env);
      t.diagnostic(output.trim());
      assert.equal(code, 1, output);
      assertOnly(output, 'endpoint', /cannot access containerd socket .*: no such file or directory/);
      assert.match(knownProblems(output, isRoot)[0]?.message ?? '', new RegExp(`No containerd listens at ${missing}\\.`));
    }
  });

  it('nerdctl at a containerd that died and left its socket; finding endpoint (refused)', async (t) => {
    await daemon.crash();
    try {
      const result = await nerdctl.run('default', ['ps']);
      const output = `${result.stdout}${result.stderr}`;
      t.diagnostic(output.trim());
      assert.equal(result.exitCode, 1, output);
      assertOnly(output, 'endpoint', /dial unix .*: connect: connection refused/);
      assert.match(knownProblems(output, isRoot)[0]?.fix ?? '', /left its socket behind/);
    } finally {
      await daemon.restart();
    }
  });

  it('buildctl at a buildkitd socket that does not exist; finding buildkitd', async (t) => {
    const socket = join(work, 'buildkit', 'buildkitd.sock');
    const { code, output } = await runOutcome(components.tools.buildctl, ['--addr', `unix://${socket}`, 'debug', 'workers'], {});
    t.diagnostic(output.trim());
    assert.equal(code, 1, output);
    assertOnly(output, 'buildkitd', /dial unix .*buildkitd\.sock: connect: no such file or directory/);
    assert.equal(knownProblems(output, isRoot)[0]?.message, `No buildkitd listens at ${socket}.`);
  });

  it('nerdctl build with no buildkitd at any address it tries (a private, empty /run); finding buildkitd', async (t) => {
    const context = join(work, 'no-buildkitd');
    mkdirSync(context);
    writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\n');
    // As root nerdctl tries /run/buildkit-<ns>, /run/buildkit-default and /run/buildkit: /run is a
    // fresh tmpfs in a mount namespace of the call's own, so no buildkitd of the machine answers.
    const { code, output } = await runOutcome('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs tmpfs /run && exec "$@"', 'sh',
      nerdctl.bin, '--address', daemon.socket, '--namespace', 'vscc-no-buildkitd', 'build', context], buildEnv());
    t.diagnostic(output.trim());
    assert.equal(code, 1, output);
    assert.match(output, /tried 3 candidates/);
    assertOnly(output, 'buildkitd', /no buildkit host is available/);
  });

  describe('as a non-root user, against root-owned sockets (mode 0660)', () => {
    let user: UserIds;
    let bin: string;
    let home: string;
    let env: NodeJS.ProcessEnv;

    before(async () => {
      user = await testUser('vscc-doctor-test');
      // The user must reach the socket itself: its folder is opened to others, the socket stays 0660 root.
      chmodSync(daemon.dir, 0o755);
      const socket = statSync(daemon.socket);
      assert.deepEqual([socket.uid, socket.gid, socket.mode & 0o777], [0, 0, 0o660]);
      // The tools where the user can run them (the cache may sit under root's 0700 home).
      bin = join(work, 'bin');
      mkdirSync(bin);
      chmodSync(work, 0o755);
      for (const [name, path] of [['nerdctl', components.tools.nerdctl['2.x']], ['buildctl', components.tools.buildctl], ['ctr', join(components.containerd['2.x'], 'ctr')]] as const) {
        copyFileSync(path, join(bin, name));
        chmodSync(join(bin, name), 0o755);
      }
      home = join(work, 'home');
      mkdirSync(join(home, 'run'), { recursive: true, mode: 0o700 });
      chownSync(home, user.uid, user.gid);
      chownSync(join(home, 'run'), user.uid, user.gid);
      env = { PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin`, HOME: home, XDG_RUNTIME_DIR: join(home, 'run') };
    });

    it('nerdctl goes rootless for a non-root user and finds no rootless containerd; finding rootless', async (t) => {
      const { code, output } = await runAs(user, join(bin, 'nerdctl'), ['--address', daemon.socket, 'ps'], env);
      t.diagnostic(output.trim());
      assert.equal(code, 1, output);
      assertOnly(output, 'rootless', /rootless containerd not running\?/);
    });

    it("even with a group of the user's on the socket, nerdctl still goes rootless (ctr then gets in)", async (t) => {
      chownSync(daemon.socket, 0, user.gid);
      try {
        const ctr = await runAs(user, join(bin, 'ctr'), ['--address', daemon.socket, 'version'], env);
        assert.equal(ctr.code, 0, ctr.output);
        const { code, output } = await runAs(user, join(bin, 'nerdctl'), ['--address', daemon.socket, 'ps'], env);
        t.diagnostic(output.trim());
        assert.equal(code, 1, output);
        assertOnly(output, 'rootless', /rootless containerd not running\?/);
      } finally {
        chownSync(daemon.socket, 0, 0);
      }
    });

    it("ctr dials the socket and is refused; finding endpoint (permission denied, the socket named)", async (t) => {
      const { code, output } = await runAs(user, join(bin, 'ctr'), ['--address', daemon.socket, 'version'], env);
      t.diagnostic(output.trim());
      assert.equal(code, 1, output);
      assertOnly(output, 'endpoint', /dial unix .*: connect: permission denied/);
      assert.equal(knownProblems(output, isRoot)[0]?.message, `Permission denied on containerd's socket ${daemon.socket}.`);
    });

    it("buildctl at root's buildkitd is refused; finding buildkitd (permission denied)", async (t) => {
      const buildkitd = await startBuildkitd(daemon, { socketPath: join(work, 'buildkit-root', 'buildkitd.sock') });
      try {
        chmodSync(dirname(buildkitd.socket), 0o755);
        const socket = statSync(buildkitd.socket);
        assert.equal(socket.uid, 0);
        assert.equal(socket.mode & 0o006, 0, 'the socket is closed to others');
        const { code, output } = await runAs(user, join(bin, 'buildctl'), ['--addr', buildkitd.address, 'debug', 'workers'], env);
        t.diagnostic(output.trim());
        assert.equal(code, 1, output);
        assertOnly(output, 'buildkitd', /dial unix .*buildkitd\.sock: connect: permission denied/);
      } finally {
        await buildkitd.stop();
      }
    });
  });

  it('a RUN step for linux/s390x, which no binfmt handler serves here: exec format error; finding binfmt', async (t) => {
    const handlers = readdirSync('/proc/sys/fs/binfmt_misc').filter((name) => !['register', 'status'].includes(name));
    const s390x = handlers.filter((name) => /s390x/.test(`${name} ${readFileSync(join('/proc/sys/fs/binfmt_misc', name), 'utf8')}`));
    assert.deepEqual(s390x, [], `this machine has an s390x handler (${s390x.join(', ')}): the failure cannot be made`);
    const hello = await buildHello(debianGo, [], 's390x');
    const buildkitd = await startBuildkitd(daemon, { namespace: 'binfmt' });
    try {
      const context = join(work, 'binfmt');
      mkdirSync(context);
      copyFileSync(hello, join(context, 'hello'));
      chmodSync(join(context, 'hello'), 0o755);
      writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello /hello\nRUN ["/hello"]\n');
      const built = await buildkitd.buildctl(['build', '--progress', 'plain', '--frontend', 'dockerfile.v0', '--local', `context=${context}`,
        '--local', `dockerfile=${context}`, '--opt', 'platform=linux/s390x']);
      const output = `${built.stdout}${built.stderr}`;
      t.diagnostic(`buildctl: ${output.split('\n').filter((l) => /exec format|ERROR/.test(l)).join(' | ')}`);
      assert.equal(built.exitCode, 1, output);
      assertOnly(output, 'binfmt', /^#\d+ [\d.]+ exec \/hello: exec format error$/);

      const viaNerdctl = await runOutcome(nerdctl.bin, ['--address', daemon.socket, '--namespace', 'binfmt', 'build', '--buildkit-host', buildkitd.address,
        '--progress', 'plain', '--platform', 'linux/s390x', '--output', 'type=image,name=binfmt-test', context], buildEnv());
      const nerdctlOutput = viaNerdctl.output;
      t.diagnostic(`nerdctl build: ${nerdctlOutput.split('\n').filter((l) => /exec format|ERROR|fatal/.test(l)).join(' | ')}`);
      assert.equal(viaNerdctl.code, 1, nerdctlOutput);
      assertOnly(nerdctlOutput, 'binfmt', /^#\d+ [\d.]+ exec \/hello: exec format error$/);
    } finally {
      await buildkitd.stop();
      rmSync(dirname(hello), { recursive: true, force: true });
    }
    assert.ok(!existsSync('/proc/sys/fs/binfmt_misc/qemu-s390x'), 'the machine\'s handlers were left as they were');
  });
});
