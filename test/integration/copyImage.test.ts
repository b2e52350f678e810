// Copy Image to Namespace or Endpoint on the real nerdctl: a multi-platform image saved from
// one namespace into k8s.io of the same containerd 2.x, and into containerd 1.7, then checked with
// ctr (the same index digest, every platform's content, unpacked, the CRI label in k8s.io); a
// source holding one platform's content only fails with the fix; a cancelled copy names nothing.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { getImage, setImageLabel } from '../../src/containerd/images/images';
import { MethodTable } from '../../src/containerd/proto/codec';
import type { ImageAt, Place } from '../../src/nerdctl/copyImage';
import { runImageCopy, type CopyOutcome } from '../../src/nerdctl/copyRun';
import { nerdctlInvocation, type Process } from '../../src/nerdctl/invocation';
import { loadComponents } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { nerdctlFor } from '../harness/nerdctlEnv';
import { writeBusyboxOciArchive } from '../harness/sampleImage';

const image = 'docker.io/library/busybox:copy';

describe('Copy Image to Namespace or Endpoint on real nerdctl', () => {
  let source: ContainerdDaemon;
  let other: ContainerdDaemon;
  let indexDigest = '';
  const methods = new MethodTable();
  const clients: ContainerdClient[] = [];
  const lines: string[] = [];

  /** nerdctl as the extension calls it for a daemon (as root here), with that daemon's private nerdctl.toml. */
  const nerdctlAt = (daemon: ContainerdDaemon, namespace: string): Process => {
    const harness = nerdctlFor(daemon, loadComponents());
    const invocation = nerdctlInvocation([harness.bin], { address: daemon.socket, namespace, callerCanOpen: true }, { uid: 0 }, 'background');
    assert.ok(invocation.ok);
    return { file: 'env', args: [`NERDCTL_TOML=${harness.env.NERDCTL_TOML ?? ''}`, invocation.process.file, ...invocation.process.args] };
  };
  const api = (daemon: ContainerdDaemon): ContainerdClient => {
    const client = new ContainerdClient(daemon.socket, { methods, timeoutMs: 30_000 });
    clients.push(client);
    return client;
  };
  const copy = (from: ImageAt, to: Place & { daemon: ContainerdDaemon }, signal?: AbortSignal): Promise<CopyOutcome> => runImageCopy({
    source: from, destination: to, saveWith: nerdctlAt(source, from.namespace), loadWith: nerdctlAt(to.daemon, to.namespace),
    destinationApi: api(to.daemon), scratch: join(source.dir, 'scratch'), progress: { line: (l) => lines.push(l) }, ...(signal ? { signal } : {}),
  });
  /** ctr's line for the image: its digest, content status and whether it is unpacked. */
  const check = async (daemon: ContainerdDaemon, namespace: string): Promise<string> => (await daemon.ctr(['--namespace', namespace, 'images', 'check'])).split('\n').find((l) => l.startsWith(`${image} `)) ?? '';

  before(async () => {
    const components = loadComponents();
    [source, other] = await Promise.all([startContainerd('2.x'), startContainerd('1.7')]);
    const archive = join(source.dir, 'busybox.tar');
    const built = await writeBusyboxOciArchive({ busybox: components.busybox, imageName: image, outFile: archive, workDir: join(source.dir, 'image-build') });
    indexDigest = built.indexDigest;
    await source.ctr(['--namespace', 'src', 'images', 'import', '--all-platforms', archive]);
    // The same image with linux/amd64's content only, as a pull for one platform leaves it.
    await source.ctr(['--namespace', 'partial', 'images', 'import', '--platform', 'linux/arm64', archive]);
  });
  after(async () => {
    for (const client of clients) client.close();
    await Promise.all([source?.stop(), other?.stop()]);
  });

  const at = (namespace: string): ImageAt => ({ address: source.socket, namespace, name: image, digest: indexDigest });

  it('copies every platform into k8s.io of the same daemon: same digest, unpacked, labelled for the CRI plugin', async () => {
    const outcome = await copy(at('src'), { address: source.socket, namespace: 'k8s.io', daemon: source });
    assert.equal(outcome.kind, 'copied', JSON.stringify(outcome));
    assert.ok(outcome.kind === 'copied' && outcome.labelled && outcome.bytes > 1_000_000);
    const line = await check(source, 'k8s.io');
    assert.ok(line.includes(indexDigest), line);
    assert.match(line, /complete \(2\/2\)/);
    assert.match(line, /\btrue\s*$/, 'unpacked');
    const listed = await source.ctr(['--namespace', 'k8s.io', 'images', 'ls']);
    assert.match(listed.split('\n').find((l) => l.startsWith(`${image} `)) ?? '', /linux\/amd64,linux\/arm64\s+io\.cri-containerd\.image=managed/);
    assert.ok((await source.ctr(['--namespace', 'k8s.io', 'snapshots', 'ls'])).includes('Committed'), 'snapshots were committed in k8s.io');
  });

  it('copies to another endpoint (containerd 1.7): the same index digest with every platform, no CRI label outside k8s.io', async () => {
    const outcome = await copy(at('src'), { address: other.socket, namespace: 'default', daemon: other });
    assert.deepEqual(outcome.kind === 'copied' ? [outcome.kind, outcome.labelled] : [outcome], ['copied', false]);
    const line = await check(other, 'default');
    assert.ok(line.includes(indexDigest), line);
    assert.match(line, /complete \(2\/2\)/);
    assert.doesNotMatch(await other.ctr(['--namespace', 'default', 'images', 'ls']), /io\.cri-containerd\.image/);
  });

  it('sets one label at a time on 1.7 and 2.x, keeping the other labels and the target (the daemon stays up)', async () => {
    for (const [daemon, namespace] of [[other, 'default'], [source, 'src']] as const) {
      const client = api(daemon);
      const first = await getImage(client, namespace, image);
      assert.ok(first);
      await setImageLabel(client, namespace, first, 'team', 'blue');
      const second = await getImage(client, namespace, image);
      assert.ok(second);
      await setImageLabel(client, namespace, second, 'stage', 'test');
      const line = (await daemon.ctr(['--namespace', namespace, 'images', 'ls'])).split('\n').find((l) => l.startsWith(`${image} `)) ?? '';
      assert.ok(line.includes(indexDigest), line);
      assert.match(line, /stage=test,team=blue|team=blue,stage=test/, line);
      assert.equal((await daemon.ctr(['version'])).includes('Server'), true, 'the daemon still answers');
    }
  });

  it('fails on a source that lacks a platform\'s content, with the pull that fixes it, and names nothing there', async () => {
    const outcome = await copy(at('partial'), { address: source.socket, namespace: 'from-partial', daemon: source });
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.kind === 'failed' ? outcome.message : '', /failed in nerdctl save \(exit 1\): the source does not hold every platform's content.*nerdctl pull --all-platforms docker\.io\/library\/busybox:copy/);
    assert.equal(await check(source, 'from-partial'), '');
  });

  it('cancelled before it starts: nothing is named at the destination, no archive is left', async () => {
    const stop = new AbortController();
    stop.abort();
    const outcome = await copy(at('src'), { address: source.socket, namespace: 'cancelled', daemon: source }, stop.signal);
    assert.equal(outcome.kind, 'cancelled');
    assert.equal(await check(source, 'cancelled'), '');
    assert.deepEqual(readdirSync(join(source.dir, 'scratch')), []);
  });
});
