import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildctlArgs, buildctlLintArgs, buildctlSubrequestArgs, buildctlWorkersArgs, buildxArgs, csvField, imageOutput, nerdctlBuildArgs, type ResolvedBuild } from '../../src/buildkit/backendArgs';
import { readDefinition } from '../../src/buildkit/taskDefinition';

function resolved(raw: Record<string, unknown>): ResolvedBuild {
  const result = readDefinition({ file: 'Dockerfile', ...raw });
  if (!result.ok) assert.fail(result.problems.join('; '));
  return { definition: result.definition, dockerfile: '/src/app/build/Containerfile', context: '/src/app', buildkitHost: 'unix:///run/buildkit/buildkitd.sock' };
}

const everything = {
  tags: ['registry.example:5000/team/app:v1', 'app:latest'], platforms: ['linux/amd64', 'linux/arm64'], target: 'release',
  buildArgs: { GO_VERSION: '1.26', LIST: 'a,b=c' }, secrets: ['id=npmrc,src=/home/me/.npmrc'], ssh: ['default'], noCache: true, pull: true,
  cacheFrom: ['type=local,src=/tmp/cache'], cacheTo: ['type=local,dest=/tmp/cache,mode=max'], provenance: 'mode=max', sbom: true, progress: 'rawjson', check: 'error',
};

describe('build argv per backend', () => {
  it('buildctl: the Dockerfile frontend, both local dirs, every option as --opt, the output last', () => {
    assert.deepEqual(buildctlArgs(resolved(everything), imageOutput(['registry.example:5000/team/app:v1', 'app:latest'], false)), [
      '--addr=unix:///run/buildkit/buildkitd.sock', 'build', '--frontend=dockerfile.v0',
      '--local=context=/src/app', '--local=dockerfile=/src/app/build', '--opt=filename=Containerfile',
      '--opt=target=release', '--opt=platform=linux/amd64,linux/arm64',
      '--opt=build-arg:GO_VERSION=1.26', '--opt=build-arg:LIST=a,b=c', '--opt=build-arg:BUILDKIT_DOCKERFILE_CHECK=error=true',
      '--opt=image-resolve-mode=pull', '--no-cache', '--secret=id=npmrc,src=/home/me/.npmrc', '--ssh=default',
      '--import-cache=type=local,src=/tmp/cache', '--export-cache=type=local,dest=/tmp/cache,mode=max',
      '--opt=attest:provenance=mode=max', '--opt=attest:sbom=', '--progress=rawjson',
      '--output=type=image,"name=registry.example:5000/team/app:v1,app:latest"',
    ]);
  });

  it('buildctl: the least a build needs, TLS flags before the subcommand', () => {
    assert.deepEqual(buildctlArgs(resolved({ tls: { ca: '/ca.pem', cert: '/c.pem', key: '/k.pem', serverName: 'bk' }, check: 'off' }), undefined), [
      '--addr=unix:///run/buildkit/buildkitd.sock', '--tlscacert=/ca.pem', '--tlscert=/c.pem', '--tlskey=/k.pem', '--tlsservername=bk', 'build',
      '--frontend=dockerfile.v0', '--local=context=/src/app', '--local=dockerfile=/src/app/build', '--opt=filename=Containerfile',
      '--opt=build-arg:BUILDKIT_DOCKERFILE_CHECK=skip=all', '--progress=plain',
    ]);
    assert.ok(buildctlArgs(resolved({ provenance: true }), undefined).includes('--opt=attest:provenance=mode=min'));
  });

  it('nerdctl build: the same choices in its flags, the context after --', () => {
    assert.deepEqual(nerdctlBuildArgs(resolved(everything)), [
      'build', '--buildkit-host=unix:///run/buildkit/buildkitd.sock', '--file=/src/app/build/Containerfile',
      '--tag=registry.example:5000/team/app:v1', '--tag=app:latest', '--target=release', '--platform=linux/amd64,linux/arm64',
      '--build-arg=GO_VERSION=1.26', '--build-arg=LIST=a,b=c', '--build-arg=BUILDKIT_DOCKERFILE_CHECK=error=true',
      '--pull', '--no-cache', '--secret=id=npmrc,src=/home/me/.npmrc', '--ssh=default',
      '--cache-from=type=local,src=/tmp/cache', '--cache-to=type=local,dest=/tmp/cache,mode=max',
      '--provenance=mode=max', '--sbom=true', '--progress=rawjson', '--', '/src/app',
    ]);
    assert.deepEqual(nerdctlBuildArgs(resolved({ output: 'type=local,dest=/tmp/out' })).slice(-4), ['--output=type=local,dest=/tmp/out', '--progress=plain', '--', '/src/app']);
  });

  it('docker buildx build: --load by default, --push when pushing, the output when given; provenance always said', () => {
    const load = buildxArgs(resolved({ tags: ['app:1'] }));
    assert.deepEqual(load, ['buildx', 'build', '--file=/src/app/build/Containerfile', '--tag=app:1', '--provenance=false', '--load', '--progress=plain', '--', '/src/app']);
    assert.ok(buildxArgs(resolved({ tags: ['app:1'], push: true })).includes('--push'));
    const out = buildxArgs(resolved({ output: 'type=oci,dest=/tmp/x.tar' }));
    assert.ok(out.includes('--output=type=oci,dest=/tmp/x.tar') && !out.includes('--load'));
    assert.deepEqual(buildxArgs(resolved(everything)).slice(3, 10), ['--tag=registry.example:5000/team/app:v1', '--tag=app:latest', '--target=release', '--platform=linux/amd64,linux/arm64',
      '--build-arg=GO_VERSION=1.26', '--build-arg=LIST=a,b=c', '--build-arg=BUILDKIT_DOCKERFILE_CHECK=error=true']);
  });

  it('quotes a CSV field only when it holds a comma or a quote', () => {
    assert.equal(csvField('name=a'), 'name=a');
    assert.equal(csvField('name=a,b'), '"name=a,b"');
    assert.equal(csvField('x="y"'), '"x=""y"""');
    assert.equal(imageOutput([], true), 'type=image,push=true');
    assert.equal(imageOutput(['a:1'], true), 'type=image,name=a:1,push=true');
  });
});

describe('build argv, the flags left out', () => {
  it('only the TLS files given are passed, to the build and to the lint request', () => {
    const tls = { ca: '/ca.pem', serverName: 'bk' };
    assert.deepEqual(buildctlArgs(resolved({ tls }), undefined).slice(0, 4), ['--addr=unix:///run/buildkit/buildkitd.sock', '--tlscacert=/ca.pem', '--tlsservername=bk', 'build']);
    assert.deepEqual(buildctlArgs(resolved({ tls: { cert: '/c.pem', key: '/k.pem' } }), undefined).slice(0, 4), ['--addr=unix:///run/buildkit/buildkitd.sock', '--tlscert=/c.pem', '--tlskey=/k.pem', 'build']);
    assert.deepEqual(buildctlLintArgs('tcp://bk:1234', tls, '/src/app/Dockerfile'), [
      '--addr=tcp://bk:1234', '--tlscacert=/ca.pem', '--tlsservername=bk', 'build', '--frontend=dockerfile.v0',
      '--local=context=/src/app', '--local=dockerfile=/src/app', '--opt=filename=Dockerfile', '--opt=requestid=frontend.lint', '--progress=plain',
    ]);
    assert.deepEqual(buildctlSubrequestArgs('unix:///b.sock', undefined, '/src/Containerfile', 'frontend.outline'), [
      '--addr=unix:///b.sock', 'build', '--frontend=dockerfile.v0', '--local=context=/src', '--local=dockerfile=/src', '--opt=filename=Containerfile', '--opt=requestid=frontend.outline', '--progress=plain',
    ]);
    assert.deepEqual(buildctlWorkersArgs('tcp://bk:1234', tls), ['--addr=tcp://bk:1234', '--tlscacert=/ca.pem', '--tlsservername=bk', 'debug', 'workers', '--format', '{{json .}}']);
    assert.deepEqual(buildctlWorkersArgs('unix:///b.sock', undefined), ['--addr=unix:///b.sock', 'debug', 'workers', '--format', '{{json .}}']);
  });

  it('nerdctl and buildx get no flag for an attribute not given; buildx says provenance even when off', () => {
    assert.deepEqual(nerdctlBuildArgs(resolved({})), ['build', '--buildkit-host=unix:///run/buildkit/buildkitd.sock', '--file=/src/app/build/Containerfile', '--progress=plain', '--', '/src/app']);
    assert.deepEqual(nerdctlBuildArgs(resolved({ provenance: true })).slice(3, 4), ['--provenance=mode=min']);
    assert.deepEqual(buildxArgs(resolved({ sbom: true })).slice(3, 6), ['--provenance=false', '--sbom=true', '--load']);
    assert.deepEqual(buildxArgs(resolved({ tags: ['app:1'], push: true, provenance: true })), ['buildx', 'build', '--file=/src/app/build/Containerfile', '--tag=app:1', '--provenance=mode=min', '--push', '--progress=plain', '--', '/src/app']);
  });

  it('the RUN network: nothing for the default; none and host as each backend spells them, host with its entitlement for buildctl', () => {
    for (const args of [buildctlArgs(resolved({}), undefined), nerdctlBuildArgs(resolved({})), buildxArgs(resolved({}))]) {
      assert.ok(!args.some((a) => a.includes('network')), args.join(' '));
    }
    assert.deepEqual(buildxArgs(resolved({ network: 'none', tags: ['app:1'] })), ['buildx', 'build', '--file=/src/app/build/Containerfile', '--tag=app:1', '--network=none', '--provenance=false', '--load', '--progress=plain', '--', '/src/app']);
    assert.ok(nerdctlBuildArgs(resolved({ network: 'host' })).includes('--network=host'));
    const none = buildctlArgs(resolved({ network: 'none' }), undefined);
    assert.ok(none.includes('--opt=force-network-mode=none') && !none.some((a) => a.startsWith('--allow')), none.join(' '));
    const host = buildctlArgs(resolved({ network: 'host' }), undefined);
    assert.ok(host.includes('--opt=force-network-mode=host') && host.includes('--allow=network.host'), host.join(' '));
    assert.ok(host.indexOf('--allow=network.host') > host.indexOf('build'), 'a build flag, after the subcommand');
  });
});
