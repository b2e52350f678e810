import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { nerdctlTomlPath, parseNerdctlToml, type NerdctlConfig } from '../../src/nerdctl/toml';

/**
 * Parses on a worker thread, so the test's timeout can fire while a slow parse still runs (a
 * synchronous parse on this thread would hold the timer until it is done).
 */
function parseInWorker(text: string): Promise<NerdctlConfig> {
  const source = `const { parentPort, workerData } = require('node:worker_threads');
parentPort.postMessage(require(workerData.module).parseNerdctlToml(workerData.text));`;
  const worker = new Worker(source, { eval: true, workerData: { module: require.resolve('../../src/nerdctl/toml'), text } });
  worker.unref(); // a parse still running when the test gives up must not keep the process alive
  return new Promise<NerdctlConfig>((resolve, reject) => {
    worker.once('message', (config: NerdctlConfig) => resolve(config));
    worker.once('error', reject);
  }).finally(() => void worker.terminate());
}

describe('nerdctl.toml', () => {
  it('reads address, namespace, snapshotter, data root and hosts dirs as nerdctl documents them', () => {
    const text = [
      '# This is an example of /etc/nerdctl/nerdctl.toml .',
      'debug          = false',
      'debug_full     = false',
      'address        = "unix:///run/k3s/containerd/containerd.sock"',
      "namespace      = 'k8s.io'",
      'snapshotter    = "stargz"  # lazy pulling',
      'cgroup_manager = "cgroupfs"',
      'data_root      = "/srv/nerdctl"',
      'hosts_dir      = ["/etc/containerd/certs.d", "/etc/docker/certs.d"]',
      'experimental   = true',
      '',
      '[some_table]',
      'address = "/not/this.sock"',
    ].join('\n');
    assert.deepEqual(parseNerdctlToml(text), {
      address: 'unix:///run/k3s/containerd/containerd.sock', namespace: 'k8s.io', snapshotter: 'stargz', dataRoot: '/srv/nerdctl', hostsDirs: ['/etc/containerd/certs.d', '/etc/docker/certs.d'],
    });
  });

  it('ends a comment only outside quoted strings, with or without a space before it', () => {
    const text = [
      'address = "unix:///run/a#b.sock"  # the socket',
      "namespace = 'team # b'",
      'snapshotter = "over\\"#lay"# no space before this comment',
    ].join('\n');
    assert.deepEqual(parseNerdctlToml(text), { address: 'unix:///run/a#b.sock', namespace: 'team # b', snapshotter: 'over"#lay' });
  });

  it('reads a file with a 200,000-space line in one pass', { timeout: 10_000 }, async () => {
    // /\s+#.*$/ tried every start in the run and backtracked over the rest: minutes for this line.
    const text = `address = "/run/x.sock"\n${' '.repeat(200_000)}x\nnamespace = "k8s.io"`;
    assert.deepEqual(await parseInWorker(text), { address: '/run/x.sock', namespace: 'k8s.io' });
  });

  it('gives nothing for an empty or foreign file', () => {
    assert.deepEqual(parseNerdctlToml(''), {});
    assert.deepEqual(parseNerdctlToml('address = 42\nnamespace = ""'), {});
  });

  it('finds the file where nerdctl does', () => {
    assert.equal(nerdctlTomlPath({ NERDCTL_TOML: '/x/n.toml' }, true), '/x/n.toml');
    assert.equal(nerdctlTomlPath({}, true), '/etc/nerdctl/nerdctl.toml');
    assert.equal(nerdctlTomlPath({ XDG_CONFIG_HOME: '/home/u/.config' }, false), '/home/u/.config/nerdctl/nerdctl.toml');
  });

  it('reads hosts_dir as a one-line array of strings (where registry certificates go), and nothing else as one', () => {
    assert.deepEqual(parseNerdctlToml('hosts_dir = ["/etc/containerd/certs.d", \'/srv/certs.d\'] # ours\n').hostsDirs, ['/etc/containerd/certs.d', '/srv/certs.d']);
    assert.deepEqual(parseNerdctlToml('hosts_dir=["/a"]\naddress = "/run/x.sock"').hostsDirs, ['/a']);
    assert.equal(parseNerdctlToml('hosts_dir = []').hostsDirs, undefined);
    assert.equal(parseNerdctlToml('hosts_dir = "/a"').hostsDirs, undefined);
    assert.equal(parseNerdctlToml('hosts_dir = [/a]').hostsDirs, undefined);
    assert.equal(parseNerdctlToml('hosts_dir = ["/a", 3]').hostsDirs, undefined);
    assert.equal(parseNerdctlToml('[table]\nhosts_dir = ["/a"]').hostsDirs, undefined);
    // TOML allows a trailing comma; the empty place after it is no directory.
    assert.deepEqual(parseNerdctlToml('hosts_dir = ["/etc/containerd/certs.d", ]').hostsDirs, ['/etc/containerd/certs.d']);
    assert.deepEqual(parseNerdctlToml('hosts_dir = ["/etc/containerd/certs.d",]').hostsDirs, ['/etc/containerd/certs.d']);
    // Text before or after the brackets makes it no array (nerdctl refuses such a file).
    assert.equal(parseNerdctlToml('hosts_dir = dirs["/etc/containerd/certs.d"]').hostsDirs, undefined);
    assert.equal(parseNerdctlToml('hosts_dir = ["/etc/containerd/certs.d"], "/srv/certs.d"').hostsDirs, undefined);
  });
});
