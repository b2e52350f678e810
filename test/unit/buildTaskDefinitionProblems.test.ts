// What the user reads in the task's terminal when tasks.json holds a wrong buildkit attribute: the
// exact problem for each kind of mistake, and no invented follow-on problem; and what is accepted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readDefinition, type BuildDefinition } from '../../src/buildkit/taskDefinition';

function ok(raw: Record<string, unknown>): BuildDefinition {
  const result = readDefinition({ file: 'Dockerfile', ...raw });
  if (!result.ok) assert.fail(`refused: ${result.problems.join('; ')}`);
  return result.definition;
}

function problems(raw: Record<string, unknown>): readonly string[] {
  const result = readDefinition({ file: 'Dockerfile', ...raw });
  assert.equal(result.ok, false, `accepted ${JSON.stringify(raw)}`);
  return result.ok ? [] : result.problems;
}

describe('buildkit task definition problems', () => {
  it('a value of the wrong kind is named with what was given, and push is judged on what could be read', () => {
    assert.deepEqual(readDefinition({ file: 5 }), { ok: false, problems: ['file: expected a string, not 5'] });
    assert.deepEqual(problems({ tags: 'a:b', push: true }), ['tags: expected a list of strings, not "a:b"', 'push: needs at least one tag to push to']);
    assert.deepEqual(problems({ tags: ['--x'], push: true }), ['tags[0]: "--x" starts with "-", which the build tools would read as an option', 'push: needs at least one tag to push to']);
    assert.deepEqual(problems({ push: 'yes' }), ['push: expected true or false, not "yes"']);
    assert.deepEqual(problems({ progress: 3 }), ['progress: expected one of plain, rawjson, not 3']);
    assert.deepEqual(problems({ buildArgs: 'A=1' }), ['buildArgs: expected an object of names to strings, not "A=1"']);
    assert.deepEqual(problems({ buildArgs: null }), ['buildArgs: expected an object of names to strings, not null']);
    assert.deepEqual(problems({ buildArgs: { 'A-B': 'x' } }), ['buildArgs.A-B: a build argument name is letters, digits and "_", not starting with a digit']);
    assert.deepEqual(problems({ tls: null }), ['tls: expected an object with ca, cert, key and serverName, not null']);
    assert.deepEqual(problems({ tls: { ca: 1, cert: 2, key: 3, serverName: 4, port: 1, user: 'me' } }), [
      'tls: unknown attribute port, user (expected ca, cert, key, serverName)',
      'tls.ca: expected a string, not 1', 'tls.cert: expected a string, not 2', 'tls.key: expected a string, not 3', 'tls.serverName: expected a string, not 4',
    ]);
    assert.deepEqual(problems({ tls: { key: '/k.pem' } }), ['tls: cert and key go together: give both or neither']);
  });

  it('an output and push are either-or; an output alone needs no tag', () => {
    assert.deepEqual(problems({ push: true, output: 'type=local,dest=out' }), ['push: give either push with tags or an output, not both']);
    assert.equal(ok({ output: 'type=image,name=x,push' }).output, 'type=image,name=x,push');
    for (const output of ['mytype=local,dest=out', 'type=local,Dest=out']) {
      assert.deepEqual(problems({ output }), [`output: "${output}" is not an output: expected type=TYPE[,key=value...], e.g. type=local,dest=out`]);
    }
    assert.deepEqual(problems({ cacheTo: ['type=local,Dest=x y'] }), ['cacheTo[0]: "type=local,Dest=x y" is not a cache spec: expected type=registry,ref=IMAGE, type=local,src=DIR (or dest=DIR), or an image name']);
  });

  it('secrets, ssh and provenance: whole specs only', () => {
    assert.deepEqual(ok({ secrets: ['id=a,src=/x,type=file'], ssh: ['work=/a.sock,/b/key'], provenance: 'mode=max,builder-id=https://ci.example/run' }).secrets, ['id=a,src=/x,type=file']);
    for (const secret of ['x,id=a', 'id=a,other=b']) assert.match(problems({ secrets: [secret] })[0] ?? '', /^secrets\[0\]: ".*" is not a secret: expected id=NAME,src=PATH or id=NAME,env=VARIABLE$/);
    for (const provenance of ['X,mode=max', 'mode=max,X']) assert.deepEqual(problems({ provenance }), [`provenance: "${provenance}" is not provenance parameters: expected key=value[,key=value], e.g. mode=max`]);
  });

  it('a BuildKit address needs something after its scheme; the message lists every scheme', () => {
    assert.deepEqual(problems({ buildkitHost: 'unix://' }), ['buildkitHost: "unix://" is not a BuildKit address: expected unix://..., tcp://..., fd://..., docker-container://..., kube-pod://..., podman-container://..., nerdctl-container://..., ssh://...']);
    assert.equal(ok({ buildkitHost: 'ssh://me@builder' }).buildkitHost, 'ssh://me@builder');
  });

  it('VS Code\'s own task attributes sit beside ours', () => {
    const vscode = { type: 'buildkit', label: 'b', group: 'build', detail: 'd', problemMatcher: [], presentation: {}, runOptions: {}, dependsOn: 'x', dependsOrder: 'sequence', isBackground: false, options: {}, icon: {}, hide: false };
    assert.equal(ok(vscode).file, 'Dockerfile');
  });
});
