// Overlay on overlay, for real, on every containerd line: a private containerd whose root is an
// overlayfs mount (test/harness/overlayRootContainerd.ts), its overlayfs snapshotter reported
// healthy, and a real nerdctl container failing to start with the kernel's EINVAL. What is checked:
// the condition the doctor reads (the overlayfs plugin's exports.root from Introspection.Plugins
// lies on an `overlay` mount in the daemon's own mountinfo), the failure itself in the real tools'
// words (a container's start, and a build's RUN step through a buildkitd on that containerd), that
// knownProblems turns exactly that output into the overlay finding, and that the fix it offers
// (the native snapshotter) really runs the same container on the same daemon.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { ContainerdClient } from '../../src/containerd/connection/client';
import type { EndpointStatus } from '../../src/containerd/connection/endpointStatus';
import { MethodTable } from '../../src/containerd/proto/codec';
import { listSnapshotters, snapshotterPluginType } from '../../src/containerd/snapshots/snapshots';
import { endpointFindings } from '../../src/doctor/endpointChecks';
import { namespaceInode, readEndpointFacts } from '../../src/doctor/endpointFacts';
import { knownProblems, overlayOnOverlayFix } from '../../src/doctor/knownProblems';
import { startBuildkitd } from '../harness/buildkitd';
import { containerdVersions, loadComponents } from '../harness/components';
import { nerdctlFor, type NerdctlHarness } from '../harness/nerdctlEnv';
import { startOverlayRootContainerd, type OverlayRootContainerd } from '../harness/overlayRootContainerd';
import { importBusybox } from '../harness/sampleImage';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const image = 'docker.io/library/busybox:overlay';
const methods = new MethodTable();

interface PluginMessage {
  readonly type: string;
  readonly id: string;
  readonly exports: Record<string, string>;
}

/** The first line of `output` holding `text` (what the finding's evidence must be). */
function lineWith(output: string, text: string): string {
  const line = output.split('\n').find((l) => l.includes(text));
  assert.ok(line, `no "${text}" in:\n${output}`);
  return line.trim();
}

for (const version of containerdVersions) {
  describe(`overlay on overlay: containerd ${version} with its root on an overlayfs mount`, () => {
    let daemon: OverlayRootContainerd;
    let client: ContainerdClient;
    let nerdctl: NerdctlHarness;

    before(async () => {
      const components = loadComponents();
      daemon = await startOverlayRootContainerd(version);
      client = new ContainerdClient(daemon.socket, { methods, timeoutMs: 20_000 });
      nerdctl = nerdctlFor(daemon, components);
      await importBusybox(daemon, components.busybox, image, 'default');
    });
    after(async () => {
      client?.close();
      await daemon?.stop();
    });

    it('the overlayfs snapshotter reports no error: containerd does not probe its root at start', async () => {
      const overlayfs = (await listSnapshotters(client)).find((s) => s.name === 'overlayfs');
      assert.deepEqual(overlayfs && { ok: overlayfs.ok, error: overlayfs.error }, { ok: true, error: undefined });
    });

    it("the doctor reads it: the plugin's exports.root lies on an overlay mount of the daemon (findmnt agrees), an overlay error with its fix", async () => {
      const method = client.methods.method<{ filters: string[] }, { plugins: PluginMessage[] }>('containerd.services.introspection.v1.Introspection', 'Plugins');
      const { plugins } = await client.unary(method, { filters: [`type==${snapshotterPluginType},id==overlayfs`] });
      assert.deepEqual(plugins.map((p) => p.id), ['overlayfs']);
      const root = plugins[0]?.exports.root ?? '';
      assert.equal(root, join(daemon.root, 'io.containerd.snapshotter.v1.overlayfs'));
      // The oracle: util-linux's own reading of the daemon's mount table.
      const [fsType, target] = (await run('findmnt', ['--task', String(daemon.pid), '-n', '-o', 'FSTYPE,TARGET', '-T', root])).stdout.trim().split(/\s+/);
      assert.deepEqual([fsType, target], ['overlay', daemon.root]);
      const status: EndpointStatus = { endpoint: { address: daemon.socket, label: daemon.socket, source: 'configured' }, reachable: true, version: await client.version(), namespaces: await client.listNamespaces() };
      const pidLink = await readlink('/proc/self/ns/pid');
      const facts = await readEndpointFacts([status], () => client, { readText: (path) => readFile(path, 'utf8').catch(() => undefined), ourPidNamespace: namespaceInode(pidLink) });
      const overlay = endpointFindings(facts, isRoot).filter((f) => f.check === 'overlay');
      assert.deepEqual(overlay.map((f) => [f.level, f.fix]), [['error', overlayOnOverlayFix]]);
      // 1.6 does not say its pid: the doctor then reads its own mount table, the same one here.
      assert.deepEqual(overlay[0]?.evidence, [`${root} is on overlay (mounted at ${daemon.root}, per ${version === '1.6' ? '/proc/self/mountinfo' : `/proc/${daemon.pid}/mountinfo`})`]);
    });

    it('nerdctl run fails to mount the rootfs, and knownProblems says overlay on overlay with that line', async (t) => {
      const result = await nerdctl.run('default', ['run', '--rm', '--network', 'none', image, 'true']);
      const output = `${result.stdout}${result.stderr}`;
      t.diagnostic(`nerdctl (${version === '2.x' ? '2.x' : '1.7'}) said: ${output.trim()}`);
      assert.equal(result.exitCode, 1, output);
      assert.match(output, /failed to mount rootfs component.*invalid argument/);
      const line = lineWith(output, 'failed to mount rootfs component');
      assert.deepEqual(knownProblems(output, isRoot).map((f) => [f.check, f.evidence]), [['overlay', [line]]]);
      const kernel = await run('dmesg', []).then((r) => r.stdout.split('\n').filter((l) => l.includes(daemon.root)).at(-1), (e: Error) => `(dmesg unreadable: ${e.message})`);
      t.diagnostic(`kernel: ${kernel ?? '(nothing about this root)'}`);
    });

    it('ctr run fails the same way on 1.7 and 2.x (the shim mounts); on 1.6 ctr itself cannot mount the snapshot', async (t) => {
      const id = `overlay-ctr-${Date.now().toString(36)}`;
      const failure = await daemon.ctr(['run', '--rm', '--runc-root', daemon.runcRoot, image, id, 'true']).then(() => undefined, (e: Error) => e.message);
      t.diagnostic(`ctr said: ${failure ?? '(nothing: it ran)'}`);
      assert.ok(failure, 'ctr run should fail on an overlay root');
      if (version === '1.6') {
        // ctr 1.6 mounts the snapshot itself first (reading the image's /etc/group), and says only EINVAL.
        assert.match(failure, /failed to mount \/tmp\/containerd-mount\d+: invalid argument/);
      } else {
        assert.match(failure, /failed to mount rootfs component.*invalid argument/);
        assert.deepEqual(knownProblems(failure, isRoot).map((f) => f.check), ['overlay']);
      }
    });

    // BuildKit words this mount error itself, whatever the daemon's line: 2.x is enough.
    if (version === '2.x') it('a build: buildkitd (containerd worker) on this daemon fails the RUN step with the mount\'s EINVAL, and knownProblems says overlay', async (t) => {
      const buildkitd = await startBuildkitd(daemon, { namespace: 'default' });
      try {
        const context = join(daemon.dir, 'build-context');
        mkdirSync(context, { recursive: true });
        writeFileSync(join(context, 'Dockerfile'), `FROM ${image}\nRUN echo built\n`);
        const result = await buildkitd.buildctl(['build', '--progress', 'plain', '--frontend', 'dockerfile.v0', '--local', `context=${context}`,
          '--local', `dockerfile=${context}`, '--opt', 'image-resolve-mode=local']);
        const output = `${result.stdout}${result.stderr}`;
        assert.equal(result.exitCode, 1, output);
        const line = lineWith(output, 'err: invalid argument');
        t.diagnostic(`buildctl said: ${line}`);
        assert.match(line, /^#\d+ ERROR: process "\/bin\/sh -c echo built" did not complete successfully: mount source: "overlay", .*fstype: overlay, .*upperdir=.*, err: invalid argument$/);
        assert.doesNotMatch(output, /failed to mount rootfs component/);
        assert.deepEqual(knownProblems(output, isRoot).map((f) => [f.check, f.evidence]), [['overlay', [line]]]);
      } finally {
        await buildkitd.stop();
      }
    });

    it("the finding's fix works: the same container runs with nerdctl --snapshotter native", async () => {
      const result = await nerdctl.run('default', ['--snapshotter', 'native', 'run', '--rm', '--network', 'none', image, 'echo', 'native ok']);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(result.stdout.trim(), 'native ok');
    });
  });
}
