import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTaskAttributes, readDefinition, type BuildDefinition } from '../../src/buildkit/taskDefinition';

function ok(raw: unknown): BuildDefinition {
  const result = readDefinition(raw);
  if (!result.ok) assert.fail(`refused: ${result.problems.join('; ')}`);
  return result.definition;
}

function problems(raw: unknown): readonly string[] {
  const result = readDefinition(raw);
  assert.equal(result.ok, false, 'accepted');
  return result.ok ? [] : result.problems;
}

describe('buildkit task definition', () => {
  it('fills every default from just a file', () => {
    assert.deepEqual(ok({ type: 'buildkit', label: 'build', file: 'Dockerfile' }), {
      file: 'Dockerfile', context: undefined, tags: [], platforms: [], target: undefined, buildArgs: {}, secrets: [], ssh: [],
      output: undefined, push: false, noCache: false, pull: false, cacheFrom: [], cacheTo: [], provenance: false, sbom: false,
      progress: 'plain', backend: 'auto', buildkitHost: undefined, tls: undefined, address: undefined, namespace: undefined, check: 'warn',
      network: 'default',
    });
  });

  it('keeps every attribute given, platforms once each', () => {
    const d = ok({
      file: 'app/Containerfile', context: 'app', tags: ['registry.example:5000/team/app:v1', 'app:latest'],
      platforms: ['linux/amd64', 'linux/arm64', 'linux/amd64'], target: 'release', buildArgs: { GO_VERSION: '1.26', EMPTY: '' },
      secrets: ['id=npmrc,src=/home/me/.npmrc', 'id=token,env=GITHUB_TOKEN'], ssh: ['default', 'work=/run/ssh.sock'],
      push: true, noCache: true, pull: true, cacheFrom: ['type=local,src=/tmp/cache', 'registry.example:5000/team/app:cache'],
      cacheTo: ['type=local,dest=/tmp/cache,mode=max'], provenance: 'mode=max', sbom: true, progress: 'rawjson', backend: 'buildctl',
      buildkitHost: 'tcp://builder.example:1234', tls: { ca: '/etc/bk/ca.pem', cert: '/etc/bk/cert.pem', key: '/etc/bk/key.pem', serverName: 'builder' },
      address: '/run/containerd/containerd.sock', namespace: 'k8s.io', check: 'error', network: 'none',
    });
    assert.equal(d.network, 'none');
    assert.deepEqual(d.platforms, ['linux/amd64', 'linux/arm64']);
    assert.deepEqual(d.buildArgs, { GO_VERSION: '1.26', EMPTY: '' });
    assert.deepEqual(d.tls, { ca: '/etc/bk/ca.pem', cert: '/etc/bk/cert.pem', key: '/etc/bk/key.pem', serverName: 'builder' });
    assert.equal(d.provenance, 'mode=max');
    assert.equal(d.check, 'error');
    assert.equal(ok({ file: 'Dockerfile', provenance: true }).provenance, true);
  });

  it('names the attribute, what is wrong and what is expected', () => {
    const found = problems({
      file: 'Dockerfile', tags: ['Bad:Tag', '--privileged'], platforms: ['amd64'], target: 'a b',
      buildArgs: { '1x': 'v', OK: 3 }, secrets: ['src=/x'], ssh: ['a=b,,c'], progress: 'tty', backend: 'docker',
      buildkitHost: 'http://x', namespace: 'bad ns', check: 'yes', noCache: 'true', cacheFrom: ['type=LOCAL'], extra: 1, network: 'bridge',
    });
    for (const expected of [
      /^tags\[0\]: .*not an image reference/, /^tags\[1\]: "--privileged" starts with "-", which the build tools would read as an option$/, /^platforms\[0\]: "amd64" is not a platform: expected os\/arch/,
      /^target: "a b" is not a build stage name/, /^buildArgs\.1x: a build argument name/, /^buildArgs\.OK: expected a string, not 3/,
      /^secrets\[0\]: "src=\/x" is not a secret: expected id=NAME/, /^ssh\[0\]: "a=b,,c" is not an ssh spec/,
      /^progress: expected one of plain, rawjson, not "tty"/, /^backend: expected one of auto, nerdctl, buildctl, buildx, not "docker"/,
      /^buildkitHost: "http:\/\/x" is not a BuildKit address: expected unix:\/\/\.\.\./, /^namespace: .*not a containerd namespace/,
      /^check: expected one of warn, error, off/, /^noCache: expected true or false, not "true"/, /^cacheFrom\[0\]: .*not a cache spec/,
      /^extra: not an attribute of a buildkit task/, /^network: expected one of default, none, host, not "bridge"/,
    ]) assert.ok(found.some((p) => expected.test(p)), `${String(expected)} in\n${found.join('\n')}`);
    assert.equal(found.length, 17, found.join('\n'));
  });

  it('reads exactly the attributes package.json\'s schema offers', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { taskDefinitions: { type: string; required: string[]; properties: Record<string, unknown> }[] } };
    const schema = manifest.contributes.taskDefinitions.find((t) => t.type === 'buildkit');
    assert.deepEqual(Object.keys(schema?.properties ?? {}), buildTaskAttributes);
    assert.deepEqual(schema?.required, ['file']);
  });

  it('refuses what cannot be built or pushed', () => {
    assert.deepEqual(problems({}), ['file: missing: the Dockerfile to build, e.g. "Dockerfile"']);
    assert.deepEqual(problems({ file: '' }), ['file: is empty']);
    assert.deepEqual(problems({ file: 'Docker\u0000file' }), ['file: "Docker\\u0000file" holds a control character']);
    assert.deepEqual(problems({ file: 'Dockerfile', push: true }), ['push: needs at least one tag to push to']);
    assert.deepEqual(problems({ file: 'Dockerfile', push: true, tags: ['a:b'], output: 'type=local,dest=out' }), ['push: give either push with tags or an output, not both']);
    assert.deepEqual(problems({ file: 'Dockerfile', tls: { cert: '/c.pem', port: 1 } }), ['tls: unknown attribute port (expected ca, cert, key, serverName)', 'tls: cert and key go together: give both or neither']);
    assert.deepEqual(problems({ file: 'Dockerfile', buildArgs: { A: 'x\ny' } }), ['buildArgs.A: holds a control character']);
    assert.deepEqual(problems({ file: 'Dockerfile', tls: 'yes' }), ['tls: expected an object with ca, cert, key and serverName, not "yes"']);
    assert.deepEqual(problems({ file: 'Dockerfile', tags: 'a:b' }), ['tags: expected a list of strings, not "a:b"']);
    assert.deepEqual(problems({ file: 'Dockerfile', buildArgs: ['A=1'] }), ['buildArgs: expected an object of names to strings, not ["A=1"]']);
    assert.deepEqual(problems({ file: 'Dockerfile', provenance: 'max' }), ['provenance: "max" is not provenance parameters: expected key=value[,key=value], e.g. mode=max']);
    for (const raw of [null, 'Dockerfile', ['Dockerfile'], 3]) assert.deepEqual(problems(raw), ['the task definition is not an object']);
  });
});
