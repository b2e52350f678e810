// The terminal lines of hand-written rawjson statuses, colours included (what the task's terminal
// shows): a step once when it starts, once when it ends (cached, done with its time, failed,
// cancelled), its output line by line, and the summary per platform.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProgressRenderer } from '../../src/buildkit/progressRender';

const blue = '\u001b[34m';
const green = '\u001b[32m';
const red = '\u001b[31m';
const yellow = '\u001b[33m';
const dim = '\u001b[2m';
const reset = '\u001b[0m';
const b64 = (text: string): string => Buffer.from(text).toString('base64');
const t0 = '2026-01-01T00:00:00Z';

describe('ProgressRenderer lines', () => {
  it('a step starts in blue once, ends once: cached dimmed, done in green with its time, failed in red', () => {
    const r = new ProgressRenderer();
    assert.deepEqual(r.render({ vertexes: [{ digest: 'a', name: '[1/3] FROM busybox', started: t0 }, { digest: 'b', name: '[2/3] WORKDIR /w', started: t0 }] }), [`${blue}#1 [1/3] FROM busybox${reset}`, `${blue}#2 [2/3] WORKDIR /w${reset}`]);
    assert.deepEqual(r.render({ vertexes: [{ digest: 'a', name: '[1/3] FROM busybox', started: t0, completed: t0, cached: true }] }), [`${dim}#1 CACHED${reset}`]);
    assert.deepEqual(r.render({ vertexes: [{ digest: 'a', name: '[1/3] FROM busybox', started: t0, completed: t0, cached: true }] }), []);
    assert.deepEqual(r.render({ vertexes: [{ digest: 'b', started: t0, completed: '2026-01-01T00:00:02.25Z', cached: 'true', error: '' }] }), [`${green}#2 DONE 2.3s${reset}`]);
    assert.deepEqual(r.render({ vertexes: [{ digest: 'c', name: '[3/3] RUN make', started: t0 }] }), [`${blue}#3 [3/3] RUN make${reset}`]);
    assert.deepEqual(r.render({ logs: [{ vertex: 'c', data: b64('one\n\ntwo\n') }, { vertex: 'c' }, { data: b64('no step') }] }), ['#3 one', '#3 two']);
    assert.deepEqual(r.render({ vertexes: [{ digest: 'c', started: t0, completed: t0, error: 'exit code: 2' }] }), [`${red}#3 ERROR: exit code: 2${reset}`]);
    assert.deepEqual(r.summary(), [`${red}1 step built, 1 cached, failed at [3/3] RUN make${reset}`]);
  });

  it('a step cached from an imported cache stays cached through the updates that restart it without the flag (as BuildKit sends them)', () => {
    const r = new ProgressRenderer();
    const name = '[2/2] RUN echo hi';
    r.render({ vertexes: [{ digest: 'r', name }] });
    assert.deepEqual(r.render({ vertexes: [{ digest: 'r', name, started: t0, cached: true }] }), [`${blue}#1 ${name}${reset}`]);
    assert.deepEqual(r.render({ vertexes: [{ digest: 'r', name, started: t0 }] }), []);
    assert.deepEqual(r.render({ vertexes: [{ digest: 'r', name, started: t0, completed: t0 }] }), [`${dim}#1 CACHED${reset}`]);
    assert.deepEqual(r.render({ vertexes: [{ digest: 'r', name, started: t0, completed: t0, cached: true }] }), []);
    assert.deepEqual(r.summary(), [`${green}0 steps built, 1 cached${reset}`]);
  });

  it('a step listed but never started draws nothing; two failures on one platform are both named', () => {
    const r = new ProgressRenderer();
    assert.deepEqual(r.render({ vertexes: [{ digest: 'z', name: '[4/4] RUN after' }] }), []);
    for (const [digest, name] of [['a', '[linux/arm64 2/3] RUN a'], ['b', '[linux/arm64 3/3] RUN b']] as const) r.render({ vertexes: [{ digest, name, started: t0, completed: t0, error: 'exit code: 1' }] });
    assert.deepEqual(r.summary(), [`${red}linux/arm64: 0 steps built, 0 cached, failed at [linux/arm64 2/3] RUN a; [linux/arm64 3/3] RUN b${reset}`]);
  });

  it('a time only when both ends are known and in order; a step without digest or name drawn as BuildKit gave it', () => {
    const r = new ProgressRenderer();
    const done = (v: Record<string, unknown>): string[] => r.render({ vertexes: [v] });
    assert.deepEqual(done({ digest: 'a', name: '[1/4] A', completed: t0, started: t0 }), [`${blue}#1 [1/4] A${reset}`, `${green}#1 DONE 0.0s${reset}`]);
    assert.deepEqual(done({ digest: 'b', completed: t0, started: '2026-01-01T00:00:05Z' }), [`${blue}#2 ${reset}`, `${green}#2 DONE${reset}`]);
    assert.deepEqual(done({ digest: 'c', name: 7, completed: 'soon', started: t0 }), [`${blue}#3 ${reset}`, `${green}#3 DONE${reset}`]);
    assert.deepEqual(done({ name: 'no digest', started: t0, completed: t0 }), []);
    assert.deepEqual(r.render({ logs: [{ vertex: 'd', data: b64('x') }] }), ['#4 x']);
  });

  it('cancelled steps are dimmed and neither built nor failed; an error that only mentions cancelling is an error', () => {
    const r = new ProgressRenderer();
    const end = (digest: string, name: string, error: string): string[] => r.render({ vertexes: [{ digest, name, started: t0, completed: t0, error }] });
    assert.deepEqual(end('a', '[linux/amd64 2/2] RUN a', 'context canceled').slice(1), [`${dim}#1 CANCELED${reset}`]);
    assert.deepEqual(end('b', '[linux/amd64 1/2] FROM b', 'rpc error: code = Canceled: context canceled').slice(1), [`${dim}#2 CANCELED${reset}`]);
    assert.deepEqual(end('c', '[linux/arm64 2/2] RUN c', 'context canceled while pulling').slice(1), [`${red}#3 ERROR: context canceled while pulling${reset}`]);
    assert.deepEqual(r.summary(), [`${green}linux/amd64: 0 steps built, 0 cached${reset}`, `${red}linux/arm64: 0 steps built, 0 cached, failed at [linux/arm64 2/2] RUN c${reset}`]);
  });

  it('the summary lists platforms in order, counts singular and plural, and keeps a step\'s first name', () => {
    const r = new ProgressRenderer();
    const step = (digest: string, name: string, cached = false): void => void r.render({ vertexes: [{ digest, name, started: t0, completed: t0, cached }] });
    // Output that arrives before the step's name; the name given later is the one shown.
    r.render({ logs: [{ vertex: 'x', data: b64('early') }] });
    step('x', '[linux/arm64 1/2] FROM busybox', true);
    step('y', '[linux/arm64 2/2] RUN y');
    step('z', '[linux/amd64 1/2] FROM busybox');
    step('w', '[linux/amd64 2/2] RUN w');
    r.render({ vertexes: [{ digest: 'w', name: 'renamed' }], logs: [{ vertex: 'w', data: b64('late') }] });
    assert.deepEqual(r.summary(), [`${green}linux/amd64: 2 steps built, 0 cached${reset}`, `${green}linux/arm64: 1 step built, 1 cached${reset}`]);
    const single = new ProgressRenderer();
    single.render({ vertexes: [{ digest: 'a', name: '[1/1] FROM busybox', started: t0, completed: t0 }], warnings: [{ short: b64('FromAsCasing: casing (line 1)') }, { short: '' }] });
    assert.deepEqual(single.summary(), [`${green}1 step built, 0 cached${reset}`]);
    assert.deepEqual(single.render({ warnings: [{ short: b64('JSONArgsRecommended: use JSON (line 4)') }] }), [`${yellow}WARN: JSONArgsRecommended: use JSON (line 4)${reset}`]);
  });
});
