// nerdctl compose argv: which files are compose files, the project name compose derives from the
// folder (passed explicitly so the confirmation names what nerdctl acts on), and each verb's argv.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeArgs, composeProjectName, composeProjectOf, isComposeFile } from '../../src/nerdctl/compose';

describe('compose files', () => {
  it('are compose.y(a)ml, docker-compose.y(a)ml and their dotted variants, nothing else', () => {
    for (const name of ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml', 'compose.override.yaml', 'docker-compose.prod-eu.yml']) assert.equal(isComposeFile(name), true, name);
    for (const name of ['compose.json', 'my-compose.yaml', 'compose.yaml.bak', 'composer.yaml', 'Compose.yaml', 'docker-compose', 'compose..yaml']) assert.equal(isComposeFile(name), false, name);
  });
});

describe('compose project names', () => {
  it('are the folder name in lower case with only a-z, 0-9, _ and -, starting with a letter or digit', () => {
    assert.equal(composeProjectName('My.Shop_app'), 'myshop_app');
    assert.equal(composeProjectName('__web-1'), 'web-1');
    assert.equal(composeProjectName('-x'), 'x');
    assert.equal(composeProjectName('Ünïcode App'), 'ncodeapp');
    assert.equal(composeProjectOf('/srv/Team Site/compose.yaml'), 'teamsite');
  });

  it('refuse a folder that leaves nothing, and a path that is not absolute', () => {
    assert.throws(() => composeProjectName('...'), /^Error: The folder name "\.\.\." gives no compose project name \(it needs a letter or digit\)/);
    assert.throws(() => composeProjectName('__'), /gives no compose project name/);
    assert.throws(() => composeProjectOf('/compose.yaml'), /The folder name "" gives no compose project name/);
    assert.throws(() => composeProjectOf('app/compose.yaml'), /must be absolute|absolute/);
  });
});

describe('compose argv', () => {
  const file = '/work/My App/compose.yaml';
  const head = ['compose', `--file=${file}`, '--project-directory=/work/My App', '--project-name=myapp'];

  it('up runs detached (the containers then live in the explorer), logs follows the last 500 lines, down takes no more', () => {
    assert.deepEqual(composeArgs(file, 'up'), [...head, 'up', '--detach']);
    assert.deepEqual(composeArgs(file, 'logs'), [...head, 'logs', '--follow', '--tail=500']);
    assert.deepEqual(composeArgs(file, 'logs', { follow: false, tail: 20, timestamps: true }), [...head, 'logs', '--timestamps', '--tail=20']);
    assert.deepEqual(composeArgs(file, 'logs', { follow: true, timestamps: false }), [...head, 'logs', '--follow']);
    assert.deepEqual(composeArgs(file, 'down'), [...head, 'down']);
  });

  it('keeps values that look like flags inside their --flag= slot', () => {
    assert.deepEqual(composeArgs('/tmp/--privileged/compose.yml', 'down'), ['compose', '--file=/tmp/--privileged/compose.yml', '--project-directory=/tmp/--privileged', '--project-name=privileged', 'down']);
  });
});
