// The buildctl route's two steps with a stand-in buildctl (a small node script that records its
// argv and answers the workers question as told): straight into containerd when the worker keeps
// the target namespace, else an archive to load; the question carries the task's TLS files and
// the configured command's prefix. The integration tier runs the real buildctl the same way.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildctlRoute } from '../../src/buildkit/buildctlRoute';
import { readDefinition } from '../../src/buildkit/taskDefinition';
import type { ResolvedBuild } from '../../src/buildkit/backendArgs';

const dir = mkdtempSync(join(tmpdir(), 'vscc-route-'));

/** A buildctl that records its argv in `argvFile` and answers with `stdout` and `code`. */
function standIn(name: string, stdout: string, code: number): { command: string[]; argvFile: string } {
  const argvFile = join(dir, `${name}.argv.json`);
  const script = join(dir, `${name}.js`);
  writeFileSync(script, `require('fs').writeFileSync(${JSON.stringify(argvFile)}, JSON.stringify(process.argv.slice(2)));\nprocess.stdout.write(${JSON.stringify(stdout)});\nprocess.exitCode = ${code};\n`);
  return { command: [process.execPath, script], argvFile };
}

function build(raw: Record<string, unknown>): ResolvedBuild {
  const read = readDefinition({ file: 'Dockerfile', tags: ['app:1'], ...raw });
  if (!read.ok) assert.fail(read.problems.join('; '));
  return { definition: read.definition, dockerfile: '/src/Dockerfile', context: '/src', buildkitHost: 'tcp://bk:1234' };
}

const containerdWorker = (namespace: string): string => JSON.stringify([{ id: 'w0', labels: { 'org.mobyproject.buildkit.worker.executor': 'containerd', 'org.mobyproject.buildkit.worker.containerd.namespace': namespace } }]);

describe('the buildctl route', () => {
  it('a containerd worker keeping the target namespace: the image goes straight there, with the command\'s prefix kept', async () => {
    const { command, argvFile } = standIn('same', containerdWorker('team'), 0);
    const route = await buildctlRoute(build({ tls: { ca: '/ca.pem', cert: '/c.pem', key: '/k.pem' } }), 'team', command, '/tmp/out.tar');
    assert.equal(route.loadArchive, undefined);
    assert.equal(route.process.file, process.execPath);
    assert.equal(route.process.args[0], command[1]);
    assert.ok(route.process.args.includes('--output=type=image,name=app:1'), route.process.args.join(' '));
    // The question went to the same buildkitd with the same certificates.
    assert.deepEqual(JSON.parse(readFileSync(argvFile, 'utf8')), ['--addr=tcp://bk:1234', '--tlscacert=/ca.pem', '--tlscert=/c.pem', '--tlskey=/k.pem', 'debug', 'workers', '--format', '{{json .}}']);
  });

  it('another namespace, or no answer: an OCI archive to load into the target', async () => {
    const other = await buildctlRoute(build({}), 'team', standIn('other', containerdWorker('buildkit'), 0).command, '/tmp/out.tar');
    assert.equal(other.loadArchive, '/tmp/out.tar');
    assert.ok(other.process.args.includes('--output=type=oci,dest=/tmp/out.tar,name=app:1'), other.process.args.join(' '));
    // A buildkitd that refused the question (the answer printed anyway is not trusted).
    const refused = await buildctlRoute(build({}), 'team', standIn('refused', containerdWorker('team'), 1).command, '/tmp/out.tar');
    assert.equal(refused.loadArchive, '/tmp/out.tar');
  });
});
