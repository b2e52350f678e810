// rawjson progress of real builds (test/fixtures/build) drawn for the task's terminal.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProgressRenderer } from '../../src/buildkit/progressRender';
import { StatusStream } from '../../src/buildkit/statusStream';

function plainText(line: string): string {
  // eslint-disable-next-line no-control-regex -- colours are what is removed
  return line.replace(/\u001b\[[0-9;]*m/g, '');
}

function draw(fixture: string): { lines: string[]; summary: string[]; text: string[] } {
  const capture = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'build', fixture), 'utf8')) as { output: string };
  const stream = new StatusStream();
  const renderer = new ProgressRenderer();
  const lines: string[] = [];
  const text: string[] = [];
  for (const item of [...capture.output.split('\n').flatMap((l) => stream.push(l)), ...stream.end()]) {
    if (item.kind === 'status') lines.push(...renderer.render(item.status).map(plainText));
    else text.push(item.line);
  }
  return { lines, summary: renderer.summary().map(plainText), text };
}

describe('rawjson progress drawn for a person', () => {
  it('a multi-platform build failing on arm64: each step once, the failure in words, a summary per platform', () => {
    const { lines, summary, text } = draw('multi-arm64-fails.buildctl-rawjson.json');
    const started = lines.filter((l) => /^#\d+ \[linux\/arm64 3\/3\] RUN test/.test(l));
    assert.equal(started.length, 1, lines.join('\n'));
    const number = /^#(\d+) /.exec(started[0] ?? '')?.[1];
    assert.ok(lines.includes(`#${number} ERROR: process "/bin/sh -c test \\"$(uname -m)\\" != aarch64" did not complete successfully: exit code: 1`), lines.join('\n'));
    assert.ok(lines.some((l) => /^#\d+ building on aarch64$/.test(l)) && lines.some((l) => /^#\d+ building on x86_64$/.test(l)), lines.join('\n'));
    assert.deepEqual(summary.map((s) => s.split(':')[0]), ['linux/amd64', 'linux/arm64']);
    assert.doesNotMatch(summary[0] ?? '', /failed/);
    assert.match(summary[1] ?? '', /failed at \[linux\/arm64 3\/3\] RUN test "\$\(uname -m\)" != aarch64$/);
    // The excerpt and the error come after the JSON, as text.
    assert.ok(text.includes('error: failed to solve: process "/bin/sh -c test \\"$(uname -m)\\" != aarch64" did not complete successfully: exit code: 1'), text.join('\n'));
  });

  it('build checks in yellow words, a successful build summed up without failures', () => {
    const checks = draw('checks.buildctl-rawjson.json');
    assert.deepEqual(checks.lines.filter((l) => l.startsWith('WARN: ')).map((l) => l.split(':')[1]?.trim()), ['FromAsCasing', 'LegacyKeyValueFormat', 'JSONArgsRecommended']);
    const ok = draw('multi-ok.buildctl-rawjson.json');
    assert.equal(ok.summary.length, 2);
    for (const line of ok.summary) assert.match(line, /^linux\/(amd64|arm64): \d+ steps? built, \d+ cached$/);
  });

  it('draws pretty-printed statuses and ignores what is not a status', () => {
    const stream = new StatusStream();
    const renderer = new ProgressRenderer();
    const pretty = JSON.stringify({ vertexes: [{ digest: 'sha256:a', name: '[1/1] FROM busybox', started: '2026-01-01T00:00:00Z', completed: '2026-01-01T00:00:01.5Z' }] }, null, 2);
    const items = [...pretty.split('\n').flatMap((l) => stream.push(l)), ...stream.push('{"broken": '), ...stream.end()];
    const lines = items.flatMap((item) => (item.kind === 'status' ? renderer.render(item.status).map(plainText) : [`text: ${item.line}`]));
    assert.deepEqual(lines, ['#1 [1/1] FROM busybox', '#1 DONE 1.5s', 'text: {"broken": ']);
    assert.deepEqual(renderer.render({ vertexes: 'x', logs: [1, null], warnings: [{ short: 3 }] }), []);
  });
});
