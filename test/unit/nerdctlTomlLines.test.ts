// nerdctl.toml lines that a looser reader would take: a key inside a dotted name, a quoted value
// with text around it, a backslash closing a literal string, a file with bare CR line ends.
// And the ones it must still take: indented keys, `key="value"` without spaces.
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { nerdctlTomlPath, parseNerdctlToml } from '../../src/nerdctl/toml';

describe('nerdctl.toml lines', () => {
  it('is looked for under ~/.config when neither NERDCTL_TOML nor XDG_CONFIG_HOME is set', () => {
    assert.equal(nerdctlTomlPath({}, false), join(homedir(), '.config', 'nerdctl', 'nerdctl.toml'));
  });

  it('reads indented keys and keys written without spaces around "="', () => {
    const text = '  address = "unix:///run/a.sock"\n\tnamespace=\'k8s.io\'\nsnapshotter="stargz"';
    assert.deepEqual(parseNerdctlToml(text), { address: 'unix:///run/a.sock', namespace: 'k8s.io', snapshotter: 'stargz' });
  });

  it('ignores a value with text before or after its quotes', () => {
    const lines = ['address = x"/run/a.sock"', 'address = "/run/a.sock" "/run/b.sock"', "namespace = x'k8s.io'", "namespace = 'k8s.io' 'default'"];
    for (const line of lines) assert.deepEqual(parseNerdctlToml(line), {}, line);
  });

  it('does not take a dotted key for a top-level one', () => {
    assert.deepEqual(parseNerdctlToml('cni.address = "/run/other.sock"\nhosts.namespace = "x"'), {});
  });

  it('ends a literal string at its quote even after a backslash (only basic strings escape)', () => {
    assert.deepEqual(parseNerdctlToml("data_root = 'D:\\nerdctl\\' # a comment that isn't part of it"), { dataRoot: 'D:\\nerdctl\\' });
  });

  it('reads nothing from a file with bare CR line ends (TOML lines end in LF or CRLF)', () => {
    assert.deepEqual(parseNerdctlToml('address = "/run/a.sock"\rnamespace = "k8s.io"\r'), {});
  });

  it('keeps a key\'s value when a later line for the same key is not a string', () => {
    assert.deepEqual(parseNerdctlToml('namespace = "k8s.io"\nnamespace = k8s'), { namespace: 'k8s.io' });
  });
});
