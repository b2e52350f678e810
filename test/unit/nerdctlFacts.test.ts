// The facts nerdctl's argv depends on, read from a file system: who owns a daemon reached through
// /proc/PID/root, whether the caller may open the socket, and where the nerdctl program is.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { daemonFacts, type FactsInput } from '../../src/nerdctl/daemonFacts';
import { findProgram, hostIsExecutable } from '../../src/nerdctl/findProgram';

describe('daemon facts for nerdctl', () => {
  const input = (owners: Record<string, number>, connectable: string[]): FactsInput & { asked: string[] } => {
    const asked: string[] = [];
    return {
      asked,
      ownerOf: (path) => { asked.push(path); return Promise.resolve(owners[path]); },
      canConnect: (path) => Promise.resolve(connectable.includes(path)),
    };
  };

  it('calls a daemon behind /proc/PID/root rootless when a user other than root owns that process', async () => {
    const socket = '/proc/4242/root/run/containerd/containerd.sock';
    const facts = input({ '/proc/4242': 1001 }, []);
    assert.deepEqual(await daemonFacts(`unix://${socket}`, 'default', facts), { address: `unix://${socket}`, namespace: 'default', rootlessOwner: 1001, callerCanOpen: false });
    assert.deepEqual(facts.asked, ['/proc/4242']);
  });

  it('calls it rootful when root owns that process (containerd inside a container) or the owner is unknown', async () => {
    const socket = '/proc/77/root/run/containerd/containerd.sock';
    assert.equal((await daemonFacts(socket, 'k8s.io', input({ '/proc/77': 0 }, [socket]))).rootlessOwner, undefined);
    assert.equal((await daemonFacts(socket, 'k8s.io', input({}, [socket]))).callerCanOpen, true);
  });

  it('asks nobody about owners for an ordinary socket, and refuses an address that is none', async () => {
    const facts = input({}, ['/run/containerd/containerd.sock']);
    assert.deepEqual(await daemonFacts('/run/containerd/containerd.sock', 'default', facts), { address: '/run/containerd/containerd.sock', namespace: 'default', callerCanOpen: true });
    assert.deepEqual(facts.asked, []);
    await assert.rejects(daemonFacts('relative.sock', 'default', facts), /relative\.sock is not a containerd address/);
  });
});

describe('finding the nerdctl program', () => {
  it('looks a bare name up on PATH in order, and checks a path as it is', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'vscc-path-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const [a, b] = [join(dir, 'a'), join(dir, 'b')];
    for (const folder of [a, b]) {
      mkdirSync(folder);
      writeFileSync(join(folder, 'nerdctl'), '#!/bin/sh\n');
      chmodSync(join(folder, 'nerdctl'), 0o755);
    }
    writeFileSync(join(dir, 'plain'), 'not executable');
    assert.equal(await findProgram('nerdctl', `::${b}:${a}`, hostIsExecutable), join(b, 'nerdctl'));
    assert.equal(await findProgram('nerdctl', `/nonexistent:${a}`, hostIsExecutable), join(a, 'nerdctl'));
    assert.equal(await findProgram('nerdctl', '/nonexistent', hostIsExecutable), undefined);
    assert.equal(await findProgram('nerdctl', undefined, hostIsExecutable), undefined);
    assert.equal(await findProgram(join(a, 'nerdctl'), '', hostIsExecutable), join(a, 'nerdctl'));
    assert.equal(await findProgram(join(dir, 'plain'), `${dir}`, hostIsExecutable), undefined, 'a file without the execute bit is no program');
  });
});
