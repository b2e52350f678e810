import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ContainerEntry } from '../../src/containerd/containers/containers';
import { dockerProblem, listDockerContainers, parseDockerContainers } from '../../src/docker/dockerEngine';
import { dockerSocket } from '../../src/docker/dockerHost';
import { withDockerNames } from '../../src/docker/dockerNames';

const id = (c: string): string => c.repeat(64);

test('parseDockerContainers: Docker\'s list read field by field; anything else is not a list', () => {
  assert.deepEqual(parseDockerContainers(JSON.stringify([
    { Id: id('a'), Names: ['/web'], State: 'running', Status: 'Up 2 minutes' },
    { Id: id('b'), Names: [], State: 'exited', Status: 'Exited (0) 3 seconds ago' },
    { Id: 'short', Names: ['/x'] },
    { Id: id('c'), Names: [7], State: 1 },
    null,
  ])), [
    { id: id('a'), name: 'web', state: 'running', status: 'Up 2 minutes' },
    { id: id('b'), name: 'bbbbbbbbbbbb', state: 'exited', status: 'Exited (0) 3 seconds ago' },
    { id: id('c'), name: 'cccccccccccc', state: '', status: '' },
  ]);
  assert.equal(parseDockerContainers('{"message":"page not found"}'), undefined);
  assert.equal(parseDockerContainers('not json'), undefined);
});

test('dockerSocket: the setting, then a unix DOCKER_HOST, then Docker\'s default; anything else says why', () => {
  assert.deepEqual(dockerSocket('unix:///run/user/1000/docker.sock', { DOCKER_HOST: 'unix:///x' }), { socket: '/run/user/1000/docker.sock', source: 'setting' });
  assert.deepEqual(dockerSocket(' /srv/docker.sock ', {}), { socket: '/srv/docker.sock', source: 'setting' });
  assert.match(JSON.stringify(dockerSocket('tcp://h:2375', {})), /containerd\.docker\.host is \\"tcp:\/\/h:2375\\"/);
  assert.deepEqual(dockerSocket(undefined, { DOCKER_HOST: 'unix:///var/run/other.sock' }), { socket: '/var/run/other.sock', source: 'DOCKER_HOST' });
  assert.match(JSON.stringify(dockerSocket('', { DOCKER_HOST: 'ssh://me@h' })), /DOCKER_HOST is ssh:\/\/me@h, not a unix socket/);
  assert.deepEqual(dockerSocket(undefined, { DOCKER_HOST: ' ' }), { socket: '/var/run/docker.sock', source: 'default' });
  assert.match(JSON.stringify(dockerSocket('unix://', {})), /containerd\.docker\.host is/);
});

test('the problem in words per errno', () => {
  assert.equal(dockerProblem('ENOENT', '/s', 'x'), 'no Docker Engine socket at /s');
  assert.match(dockerProblem('EACCES', '/s', 'x'), /permission denied on \/s \(Docker's socket belongs to root and the docker group\)/);
  assert.equal(dockerProblem('EPERM', '/s', 'x'), dockerProblem('EACCES', '/s', 'x'));
  assert.match(dockerProblem('ECONNREFUSED', '/s', 'x'), /nothing answers at \/s/);
  assert.equal(dockerProblem(undefined, '/s', 'boom'), '/s: boom');
});

test('withDockerNames: Docker\'s name only where the labels give none, its state words on every container it knows', () => {
  const entry = (cid: string, name: string, nameSource: ContainerEntry['nameSource']): ContainerEntry => ({ id: cid, name, nameSource, namespace: 'moby', image: '', labels: {}, runtime: '', snapshotter: '', snapshotKey: '', createdAt: new Date(0), ports: [] });
  const docker = { ok: true as const, byId: new Map([[id('a'), { id: id('a'), name: 'web', state: 'running', status: 'Up' }], [id('b'), { id: id('b'), name: 'db', state: 'exited', status: 'Exited (1)' }]]) };
  const merged = withDockerNames([entry(id('a'), id('a'), 'id'), entry(id('b'), 'mine', 'nerdctl'), entry(id('c'), id('c'), 'id')], docker);
  assert.deepEqual(merged.map((e) => [e.name, e.nameSource, e.docker?.state]), [['web', 'docker', 'running'], ['mine', 'nerdctl', 'exited'], [id('c'), 'id', undefined]]);
  assert.deepEqual(withDockerNames([entry(id('a'), id('a'), 'id')], { ok: false, problem: 'x' }).map((e) => e.name), [id('a')]);
});

test('listDockerContainers over a unix socket: the list, an HTTP error, a non-list, a missing socket, a file that is no socket, no answer', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vscc-docker-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const socket = join(dir, 'docker.sock');
  let reply: { code: number; body: string; hang?: boolean } = { code: 200, body: JSON.stringify([{ Id: id('a'), Names: ['/web'], State: 'running', Status: 'Up 1 second' }]) };
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(`${request.method ?? ''} ${request.url ?? ''}`);
    if (reply.hang) return;
    response.writeHead(reply.code, { 'content-type': 'application/json' });
    response.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  const ok = await listDockerContainers(socket);
  assert.ok(ok.ok);
  assert.deepEqual([...ok.byId.values()], [{ id: id('a'), name: 'web', state: 'running', status: 'Up 1 second' }]);
  assert.deepEqual(paths, ['GET /containers/json?all=1']);
  reply = { code: 500, body: '{"message":"boom"}\n' };
  assert.deepEqual(await listDockerContainers(socket), { ok: false, problem: `Docker at ${socket} answered HTTP 500: {"message":"boom"}` });
  reply = { code: 200, body: '{"message":"not a list"}' };
  assert.deepEqual(await listDockerContainers(socket), { ok: false, problem: `${socket} did not answer with Docker's container list (is it Docker's socket?)` });
  reply = { code: 200, body: '', hang: true };
  assert.deepEqual(await listDockerContainers(socket, 200), { ok: false, problem: `${socket}: no answer in 200 ms` });
  assert.deepEqual(await listDockerContainers(join(dir, 'missing.sock')), { ok: false, problem: `no Docker Engine socket at ${join(dir, 'missing.sock')}` });
  const file = join(dir, 'file');
  writeFileSync(file, '');
  chmodSync(file, 0o600);
  const notSocket = await listDockerContainers(file);
  assert.equal(notSocket.ok, false);
});
