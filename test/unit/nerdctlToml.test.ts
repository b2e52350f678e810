import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nerdctlTomlPath, parseNerdctlToml } from '../../src/nerdctl/toml';

describe('nerdctl.toml', () => {
  it('reads address, namespace and snapshotter as nerdctl documents them', () => {
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
    assert.deepEqual(parseNerdctlToml(text), { address: 'unix:///run/k3s/containerd/containerd.sock', namespace: 'k8s.io', snapshotter: 'stargz', dataRoot: '/srv/nerdctl' });
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
});
