// Which `nerdctl/state-dir` labels lead to a network-config.json: only the exact shape nerdctl
// writes, <dataRoot>/<8 hex digits>/containers/<namespace>/<id>, decided from the text alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { networkConfigPath, parseEnviron, rootlessOwnerDataRoots, type StateDirOwner } from '../../src/nerdctl/stateDir';

const root = '/var/lib/nerdctl';
const roots = [root, '/home/u/.local/share/nerdctl'];
const owner = (stateDir: string | undefined, namespace = 'default', id = 'web-1'): StateDirOwner =>
  ({ namespace, id, labels: stateDir === undefined ? {} : { 'nerdctl/state-dir': stateDir } });

describe('the nerdctl/state-dir label', () => {
  it('leads to network-config.json in the state dir nerdctl gives a container', () => {
    const dir = `${root}/1935db59/containers/default/web-1`;
    assert.equal(networkConfigPath(owner(dir), roots), `${dir}/network-config.json`);
    const rootless = '/home/u/.local/share/nerdctl/0a1b2c3d/containers/team/api';
    assert.equal(networkConfigPath(owner(rootless, 'team', 'api'), roots), `${rootless}/network-config.json`);
  });

  it('leads nowhere for a container without the label', () => {
    assert.equal(networkConfigPath(owner(undefined), roots), undefined);
  });

  it('leads nowhere from a directory that only has the data root\'s length', () => {
    // '/var/lib/evilctl' is as long as '/var/lib/nerdctl': the rest would pass on its own.
    assert.equal(networkConfigPath(owner('/var/lib/evilctl/1935db59/containers/default/web-1'), roots), undefined);
    assert.equal(networkConfigPath(owner('/var/lib/nerdctl2/1935db59/containers/default/web-1'), roots), undefined);
  });

  it('needs exactly 8 hex digits for the address hash', () => {
    for (const hash of ['x1935db59', '1935db59x', '01935db59', '1935DB59', '1935db5']) {
      assert.equal(networkConfigPath(owner(`${root}/${hash}/containers/default/web-1`), roots), undefined, hash);
    }
  });

  it('needs the containers folder and nothing after the id', () => {
    assert.equal(networkConfigPath(owner(`${root}/1935db59/volumes/default/web-1`), roots), undefined);
    assert.equal(networkConfigPath(owner(`${root}/1935db59/containers/default/web-1/web-1`, 'default', 'web-1'), roots), undefined);
    assert.equal(networkConfigPath(owner(`${root}/1935db59/default/web-1`), roots), undefined);
  });

  it('leads nowhere when the daemon names a container or namespace "..", "." or ""', () => {
    // containerd refuses such names; a daemon we do not control might send them, and the path
    // they make would leave the container's own state dir.
    for (const name of ['..', '.', '']) {
      assert.equal(networkConfigPath(owner(`${root}/1935db59/containers/default/${name}`, 'default', name), roots), undefined, `id ${JSON.stringify(name)}`);
      assert.equal(networkConfigPath(owner(`${root}/1935db59/containers/${name}/web-1`, name, 'web-1'), roots), undefined, `namespace ${JSON.stringify(name)}`);
    }
  });
});

describe("another user's rootless daemon: that user's data roots, from RootlessKit's child's environment", () => {
  it('reads HOME and XDG_DATA_HOME of /proc/CHILD/environ for a /proc/CHILD/root socket, and nothing for any other', async () => {
    const read: string[] = [];
    const environ = (text: string | undefined) => (path: string): Promise<string | undefined> => {
      read.push(path);
      return Promise.resolve(text);
    };
    assert.deepEqual(await rootlessOwnerDataRoots('/proc/4242/root/run/containerd/containerd.sock', environ('PATH=/bin\0HOME=/home/alice\0USER=alice\0')), ['/home/alice/.local/share/nerdctl']);
    assert.deepEqual(read, ['/proc/4242/environ']);
    assert.deepEqual(await rootlessOwnerDataRoots('/proc/7/root/run/containerd/containerd.sock', environ('HOME=/home/bob\0XDG_DATA_HOME=/data/bob\0')), ['/data/bob/nerdctl', '/home/bob/.local/share/nerdctl']);
    assert.deepEqual(await rootlessOwnerDataRoots('/proc/7/root/run/containerd/containerd.sock', environ('USER=nobody\0')), []);
    assert.deepEqual(await rootlessOwnerDataRoots('/proc/7/root/run/containerd/containerd.sock', environ(undefined)), []);
    read.length = 0;
    assert.deepEqual(await rootlessOwnerDataRoots('/run/containerd/containerd.sock', environ('HOME=/home/x\0')), []);
    assert.deepEqual(read, []);
    assert.deepEqual(parseEnviron('A=1\0B=x=y\0=bad\0noequals\0'), { A: '1', B: 'x=y' });
  });
});
