// The argv of nerdctl's container and image subcommands: positionals after `--`, checked values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as args from '../../src/nerdctl/containerArgs';

describe('nerdctl subcommand argv', () => {
  it('reads the containerd.logs.* settings: null tail means every line, a wrong type falls back to the default', () => {
    assert.deepEqual(args.logOptionsFrom({}), { follow: true, tail: 500, timestamps: false });
    assert.deepEqual(args.logOptionsFrom({ follow: false, tail: 0, timestamps: true }), { follow: false, tail: 0, timestamps: true });
    assert.deepEqual(args.logOptionsFrom({ follow: true, tail: null, timestamps: false }), { follow: true, timestamps: false });
    assert.deepEqual(args.logsArgs('web', args.logOptionsFrom({ tail: null })), ['logs', '--follow', '--', 'web']);
    for (const tail of [-1, 2.5, '100', true]) assert.equal(args.logOptionsFrom({ tail }).tail, 500, `tail ${String(tail)}`);
    assert.deepEqual(args.logOptionsFrom({ follow: 'yes', timestamps: 1 }), { follow: true, tail: 500, timestamps: false });
  });
  it('builds logs with its options, and refuses a bad line count or id', () => {
    assert.deepEqual(args.logsArgs('web', { follow: true, tail: 500, timestamps: true }), ['logs', '--follow', '--timestamps', '--tail=500', '--', 'web']);
    assert.deepEqual(args.logsArgs('web', { follow: false, timestamps: false }), ['logs', '--', 'web']);
    assert.throws(() => args.logsArgs('web', { follow: false, tail: -1, timestamps: false }), /whole number of 0 or more, not -1/);
    assert.throws(() => args.logsArgs('web', { follow: false, tail: 1.5, timestamps: false }), /not 1.5/);
    assert.throws(() => args.logsArgs('--all', { follow: false, timestamps: false }), /"--all" is not a container id or name/);
    assert.throws(() => args.logsArgs('', { follow: false, timestamps: false }), /"" is not a container id or name/);
  });

  it('opens a shell: bash where the image has it, else sh, or the configured one', () => {
    assert.deepEqual(args.shellArgs('web', 'auto'), ['exec', '--interactive', '--tty', '--', 'web', '/bin/sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi']);
    assert.deepEqual(args.shellArgs('web', '/bin/ash'), ['exec', '--interactive', '--tty', '--', 'web', '/bin/ash']);
    assert.throws(() => args.shellArgs('web', '-x'), /"-x" is not a shell: set containerd.containers.shell/);
  });

  it('acts on every container given, and on none without one', () => {
    assert.deepEqual(args.lifecycleArgs('stop', ['a', 'b']), ['stop', '--', 'a', 'b']);
    assert.throws(() => args.lifecycleArgs('kill', []), /nothing to kill/);
    assert.deepEqual(args.removeArgs(['a'], true), ['rm', '--force', '--', 'a']);
    assert.deepEqual(args.removeArgs(['a', 'b'], false), ['rm', '--', 'a', 'b']);
    assert.throws(() => args.removeArgs([], false), /nothing to remove/);
  });

  it('checks image references and archive paths before building pull, push, tag, rmi, save and load', () => {
    assert.deepEqual(args.pullArgs('alpine:3.20', 'linux/arm64'), ['pull', '--platform=linux/arm64', '--', 'alpine:3.20']);
    assert.deepEqual(args.pullArgs('alpine'), ['pull', '--', 'alpine']);
    assert.throws(() => args.pullArgs('--insecure-registry'), /starts with "-"/);
    assert.deepEqual(args.pushArgs('reg:5000/a/b:v1'), ['push', '--', 'reg:5000/a/b:v1']);
    assert.deepEqual(args.pushArgs('reg:5000/a/b:v1', true), ['push', '--all-platforms', '--', 'reg:5000/a/b:v1']);
    assert.throws(() => args.pushArgs(`a@sha256:${'a'.repeat(64)}`), /names a digest/);
    assert.deepEqual(args.tagArgs('busybox', 'reg:5000/b:2'), ['tag', '--', 'busybox', 'reg:5000/b:2']);
    assert.throws(() => args.tagArgs('busybox', 'Bad'), /not an image reference/);
    assert.deepEqual(args.removeImageArgs(['a', 'b']), ['rmi', '--', 'a', 'b']);
    assert.throws(() => args.removeImageArgs([]), /no image was given/);
    assert.deepEqual(args.saveArgs(['busybox'], '/tmp/b.tar'), ['save', '--all-platforms', '--output=/tmp/b.tar', '--', 'busybox']);
    assert.throws(() => args.saveArgs(['busybox'], 'b.tar'), /"b.tar" is not an absolute path/);
    assert.throws(() => args.saveArgs([], '/tmp/b.tar'), /nothing to save/);
    assert.deepEqual(args.loadArgs('/tmp/b.tar'), ['load', '--input=/tmp/b.tar']);
    assert.throws(() => args.loadArgs('/tmp/a\nb.tar'), /control character/);
  });

  it('copies into and out of a container: both paths absolute, the container side as ID:PATH after --', () => {
    assert.deepEqual(args.copyIntoArgs('c0ffee', '/home/u/-notes.txt', '/tmp/'), ['cp', '--', '/home/u/-notes.txt', 'c0ffee:/tmp/']);
    assert.deepEqual(args.copyFromArgs('c0ffee', '/var/log', '/home/u/out dir'), ['cp', '--', 'c0ffee:/var/log', '/home/u/out dir']);
    assert.throws(() => args.copyIntoArgs('c0ffee', 'notes.txt', '/tmp/'), /"notes.txt" is not an absolute path/);
    assert.throws(() => args.copyIntoArgs('c0ffee', '/notes.txt', 'tmp'), /"tmp" is not an absolute path/);
    assert.throws(() => args.copyFromArgs('c0ffee', 'var/log', '/tmp'), /"var\/log" is not an absolute path/);
    assert.throws(() => args.copyFromArgs('c0ffee', '/var/log', '-'), /starts with "-"/);
    assert.throws(() => args.copyFromArgs('--privileged', '/var/log', '/tmp'), /"--privileged" is not a container id or name/);
    assert.throws(() => args.copyIntoArgs('c0ffee', '/a\nb', '/tmp'), /control character/);
  });

  it('watches stats of running containers: streaming by default, one sample with --no-stream, ids after --', () => {
    assert.deepEqual(args.statsArgs(['a1', 'b2'], true), ['stats', '--', 'a1', 'b2']);
    assert.deepEqual(args.statsArgs(['a1'], false), ['stats', '--no-stream', '--', 'a1']);
    assert.throws(() => args.statsArgs([], true), /nothing to watch/);
    assert.throws(() => args.statsArgs(['--all'], true), /"--all" is not a container id or name/);
  });
});
