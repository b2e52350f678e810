// The client against real containerd daemons, one version at a time: 1.6 (bookworm), 1.7
// (trixie) and 2.x (sid). ctr, run against the same daemon, is the oracle.
import assert from 'node:assert/strict';
import { chmod } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { Connections } from '../../src/containerd/connection/connections';
import { readEndpointStatus } from '../../src/containerd/connection/endpointStatus';
import type { Endpoint } from '../../src/containerd/connection/endpoints';
import { ContainerdUnreachableError } from '../../src/containerd/connection/errors';
import { MethodTable } from '../../src/containerd/proto/codec';
import { containerdVersions } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { probeAsNobody } from './probeAsNobody';

const methods = new MethodTable();

function endpointAt(address: string): Endpoint {
  return { address, label: address, source: 'configured' };
}

async function ctrNamespaces(daemon: ContainerdDaemon): Promise<string[]> {
  return (await daemon.ctr(['namespaces', 'list', '--quiet'])).split('\n').filter(Boolean).sort();
}

for (const version of containerdVersions) {
  describe(`containerd ${version}`, () => {
    let daemon: ContainerdDaemon;
    let connections: Connections;

    before(async () => {
      daemon = await startContainerd(version);
      connections = new Connections({ methods, timeoutMs: 10_000 });
    });
    after(async () => {
      connections?.closeAll();
      await daemon?.stop();
    });

    it('reports the same server version as ctr', async () => {
      const info = await connections.get(daemon.socket).version();
      const ctrOutput = await daemon.ctr(['version']);
      const server = ctrOutput.slice(ctrOutput.indexOf('Server:'));
      assert.ok(server.split('\n').some((l) => l.trim() === `Version:  ${info.version}`), `${info.version} not in\n${server}`);
      assert.ok(server.split('\n').some((l) => l.trim() === `Revision: ${info.revision}`.trim()), `${info.revision} not in\n${server}`);
      const major = version === '2.x' ? '2' : version;
      assert.ok(info.version.replace(/^v/, '').startsWith(major), `${info.version} is not containerd ${version}`);
    });

    it('lists exactly the namespaces ctr lists, with their labels', async () => {
      await daemon.ctr(['namespaces', 'create', 'alpha']);
      await daemon.ctr(['namespaces', 'create', 'beta', 'team=build', 'tier=ci']);
      await daemon.ctr(['namespaces', 'create', 'k8s.io']);
      const listed = await connections.get(daemon.socket).listNamespaces();
      assert.deepEqual(listed.map((n) => n.name).sort(), await ctrNamespaces(daemon));
      assert.deepEqual(listed.find((n) => n.name === 'beta')?.labels, { team: 'build', tier: 'ci' });
      assert.deepEqual(listed.find((n) => n.name === 'alpha')?.labels, {});
    });

    it('sees a namespace removed by ctr disappear', async () => {
      await daemon.ctr(['namespaces', 'create', 'short-lived']);
      assert.ok((await connections.get(daemon.socket).listNamespaces()).some((n) => n.name === 'short-lived'));
      await daemon.ctr(['namespaces', 'remove', 'short-lived']);
      const names = (await connections.get(daemon.socket).listNamespaces()).map((n) => n.name);
      assert.ok(!names.includes('short-lived'));
      assert.deepEqual(names.sort(), await ctrNamespaces(daemon));
    });

    it('says a killed daemon left a stale socket, then reconnects after it restarts', async () => {
      await daemon.crash();
      const down = await readEndpointStatus(endpointAt(daemon.socket), connections);
      assert.equal(down.reachable, false);
      assert.ok(!down.reachable && down.error instanceof ContainerdUnreachableError);
      assert.equal(down.error.reason, 'refused', down.error.message);
      await daemon.restart();
      const back = await readEndpointStatus(endpointAt(daemon.socket), connections);
      assert.ok(back.reachable, back.reachable ? '' : back.error.message);
      assert.deepEqual(back.namespaces.map((n) => n.name), await ctrNamespaces(daemon));
    });

    it('answers permission denied to a user who may not open the root-owned socket', async () => {
      // The rootful layout: the socket is root's (0660) in a folder others may traverse.
      await chmod(daemon.dir, 0o711);
      await chmod(daemon.socket, 0o660);
      const result = await probeAsNobody(daemon.socket);
      assert.equal(result.reason, 'permissionDenied', JSON.stringify(result));
      assert.match(result.message, new RegExp(`Cannot reach containerd at ${daemon.socket}: permission denied`));
    });
  });
}
