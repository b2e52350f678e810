// The argv the nerdctl commands build, run by the real nerdctl against private containerd 1.7
// (nerdctl 1.7) and 2.x (nerdctl 2.x): run, logs, the lifecycle verbs and rm, each checked by
// what ctr then says the daemon holds. A sample of hostile values that pass our checks goes to the
// real nerdctl too, which must take them as values (the container's spec and labels say so).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { copyFromArgs, copyIntoArgs, lifecycleArgs, loadArgs, logsArgs, removeArgs, removeImageArgs, saveArgs, statsArgs, tagArgs } from '../../src/nerdctl/containerArgs';
import { nerdctlInvocation } from '../../src/nerdctl/invocation';
import { runArgs, type RunSpec } from '../../src/nerdctl/runArgs';
import { loadComponents, type ContainerdVersion } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { nerdctlFor, type NerdctlHarness } from '../harness/nerdctlEnv';
import { importBusybox } from '../harness/sampleImage';
import { waitFor } from '../harness/waitFor';

const exec = promisify(execFile);
const image = 'docker.io/library/busybox:nerdctl';
const versions: readonly ContainerdVersion[] = ['1.7', '2.x'];

for (const version of versions) {
  describe(`nerdctl commands on containerd ${version}`, () => {
    let daemon: ContainerdDaemon;
    let nerdctl: NerdctlHarness;
    const sfx = `${process.pid}-${Date.now().toString(36)}`;
    // runc state and cgroups are host-global: a namespace of our own keeps the ids apart.
    const namespace = `nerdctl-${sfx}`;

    /** Runs nerdctl as the extension would (its invocation for this daemon, as root), then `args`. */
    const nerdctlRun = async (args: readonly string[], inNamespace = namespace): Promise<string> => {
      const invocation = nerdctlInvocation([nerdctl.bin], { address: daemon.socket, namespace: inNamespace, callerCanOpen: true }, { uid: 0 }, 'background');
      assert.ok(invocation.ok);
      const { stdout } = await exec(invocation.process.file, [...invocation.process.args, ...args], { env: nerdctl.env, timeout: 120_000 });
      return stdout;
    };
    const ctr = (args: readonly string[]): Promise<string> => daemon.ctr(['--namespace', namespace, ...args]);
    const taskStatus = async (id: string): Promise<string | undefined> => {
      const line = (await ctr(['tasks', 'ls'])).split('\n').slice(1).map((l) => l.trim().split(/\s+/)).find(([task]) => task === id);
      return line?.[2];
    };
    const containerInfo = async (id: string): Promise<{ Labels?: Record<string, string>; Spec?: { process?: { env?: string[]; args?: string[] } } }> =>
      JSON.parse(await ctr(['containers', 'info', id])) as { Labels?: Record<string, string> };
    const idOf = async (name: string): Promise<string> => {
      for (const id of (await ctr(['containers', 'ls', '--quiet'])).split('\n').map((l) => l.trim()).filter(Boolean)) {
        if ((await containerInfo(id)).Labels?.['nerdctl/name'] === name) return id;
      }
      throw new Error(`no container named ${name} per ctr`);
    };
    const detached = (name: string, extra: Partial<RunSpec> = {}): RunSpec => ({
      image, name, mode: 'detached', network: 'none', command: ['sh', '-c', `echo hello from ${name}; while true; do sleep 1; done`], ...extra,
    });

    before(async () => {
      const components = loadComponents();
      daemon = await startContainerd(version);
      nerdctl = nerdctlFor(daemon, components);
      await importBusybox(daemon, components.busybox, image, namespace);
    });
    after(async () => {
      await daemon.stop();
    });

    it('runs an image detached: the container runs per ctr and its log line is in nerdctl logs', async () => {
      const name = `web-${sfx}`;
      await nerdctlRun(runArgs(detached(name)));
      const id = await idOf(name);
      assert.equal(await taskStatus(id), 'RUNNING');
      await waitFor(`the log line of ${name}`, async () => (await nerdctlRun(logsArgs(name, { follow: false, tail: 10, timestamps: false }))).includes(`hello from ${name}`), 20_000);
    });

    it('stops, starts, pauses, unpauses and restarts by name, as ctr sees it', async () => {
      const name = `life-${sfx}`;
      await nerdctlRun(runArgs(detached(name)));
      const id = await idOf(name);
      await nerdctlRun(lifecycleArgs('pause', [name]));
      assert.equal(await taskStatus(id), 'PAUSED');
      await nerdctlRun(lifecycleArgs('unpause', [name]));
      assert.equal(await taskStatus(id), 'RUNNING');
      await nerdctlRun([...lifecycleArgs('stop', [name]).slice(0, 1), '--time=1', ...lifecycleArgs('stop', [name]).slice(1)]);
      assert.notEqual(await taskStatus(id), 'RUNNING');
      await nerdctlRun(lifecycleArgs('start', [name]));
      assert.equal(await taskStatus(id), 'RUNNING');
    });

    it('copies a file into a running container and a folder back out by id (nerdctl cp), paths with spaces and a leading "-" intact', async () => {
      const name = `cp-${sfx}`;
      await nerdctlRun(runArgs(detached(name)));
      const id = await idOf(name);
      const here = join(daemon.dir, 'cp files', '-odd name');
      mkdirSync(here, { recursive: true });
      writeFileSync(join(here, 'note.txt'), `copied into ${name}\n`);
      // The container's files are read and written through its root as the host sees it
      // (/proc/PID/root): an oracle independent of nerdctl (exec's stdout can come back short under load).
      const pid = (await ctr(['tasks', 'ls'])).split('\n').map((l) => l.trim().split(/\s+/)).find(([task]) => task === id)?.[1];
      assert.ok(pid && /^\d+$/.test(pid), `${name} has a task pid`);
      const inside = join('/proc', pid, 'root', 'tmp');
      await nerdctlRun(copyIntoArgs(id, join(here, 'note.txt'), '/tmp/'));
      assert.equal(readFileSync(join(inside, 'note.txt'), 'utf8'), `copied into ${name}\n`);
      mkdirSync(join(inside, 'out dir'));
      writeFileSync(join(inside, 'out dir', 'answer'), 'back\n');
      const back = join(daemon.dir, 'cp back');
      mkdirSync(back, { recursive: true });
      await nerdctlRun(copyFromArgs(id, '/tmp/out dir', back));
      assert.equal(readFileSync(join(back, 'out dir', 'answer'), 'utf8'), 'back\n');
    });

    it('shows a running container\'s stats by id (nerdctl stats, one sample)', async () => {
      const name = `stats-${sfx}`;
      await nerdctlRun(runArgs(detached(name)));
      const id = await idOf(name);
      const table = await nerdctlRun(statsArgs([id], false));
      const row = table.split('\n').find((l) => l.startsWith(id.slice(0, 12))) ?? '';
      // nerdctl cuts the name to 12 characters, as it cuts the id.
      assert.ok(row.includes(name.slice(0, 12)), `a row for ${name}: ${table}`);
      assert.match(row, /\d+(\.\d+)?%/, 'with a CPU percentage');
    });

    it('removes exactly the containers named, stopping a running one with --force', async () => {
      const [keep, goes] = [`keep-${sfx}`, `goes-${sfx}`];
      await nerdctlRun(runArgs(detached(keep)));
      await nerdctlRun(runArgs(detached(goes)));
      const keepId = await idOf(keep);
      const goesId = await idOf(goes);
      await nerdctlRun(removeArgs([goes], true));
      const left = (await ctr(['containers', 'ls', '--quiet'])).split('\n').map((l) => l.trim());
      assert.ok(!left.includes(goesId), 'the named container is gone');
      assert.ok(left.includes(keepId), 'the other one stays');
    });

    it('tags, saves every platform to an archive, loads it into another namespace with the same index digest, and removes a tag', async () => {
      const other = `moved-${sfx}`;
      const tagged = `registry.example:5000/team/busybox:${sfx}`;
      await nerdctlRun(tagArgs(image, tagged));
      const images = async (ns: string): Promise<Map<string, string>> => new Map((await daemon.ctr(['--namespace', ns, 'images', 'ls'])).split('\n').slice(1)
        .map((l) => l.trim().split(/\s+/)).filter((f) => f.length > 3).map((f): [string, string] => [f[0] ?? '', f[2] ?? '']));
      const digest = (await images(namespace)).get(image);
      assert.ok(digest?.startsWith('sha256:'), 'ctr lists the imported image');
      assert.equal((await images(namespace)).get(tagged), digest, 'the tag points at the same index');
      const archive = join(daemon.dir, `saved-${sfx}.tar`);
      await nerdctlRun(saveArgs([tagged], archive));
      await nerdctlRun(loadArgs(archive), other);
      assert.equal((await images(other)).get(tagged), digest, 'the loaded image has the same index digest in the other namespace');
      const platforms = (await daemon.ctr(['--namespace', other, 'images', 'ls'])).split('\n').find((l) => l.startsWith(`${tagged} `)) ?? '';
      assert.match(platforms, /linux\/amd64/);
      assert.match(platforms, /linux\/arm64/);
      await nerdctlRun(removeImageArgs([tagged]));
      assert.equal((await images(namespace)).get(tagged), undefined, 'the tag is gone');
      assert.equal((await images(namespace)).get(image), digest, 'the image it pointed at stays');
    });

    it('hands hostile values that pass our checks to nerdctl as values, never as flags', async () => {
      const name = `odd.name_x-${sfx}`;
      const env = ['CSV=a=b,c=d', 'QUOTES="it\'s" `x` $(id)', 'UNICODE=ünïcødé 日本 \u202e', 'DASH=--privileged'];
      // Arguments after the script are the shell's $0 and $1: flags to nerdctl if they leaked.
      const command = ['sh', '-c', 'while true; do sleep 1; done', '--privileged', '--rm'];
      await nerdctlRun(runArgs(detached(name, { env, command })));
      const id = await idOf(name);
      const spec = (await containerInfo(id)).Spec;
      for (const entry of env) assert.ok(spec?.process?.env?.includes(entry), `${entry} is one environment entry (env: ${JSON.stringify(spec?.process?.env)})`);
      assert.deepEqual(spec?.process?.args, command, 'the command after the image is the container\'s, verbatim');
      assert.equal(await taskStatus(id), 'RUNNING', '--rm and --privileged after the image did not reach nerdctl');
    });
  });
}
