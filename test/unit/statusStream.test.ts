// rawjson progress line by line, as buildctl (one object per line) and buildx (pretty-printed)
// print it, with the text after it and garbage in between: every status once, every other line as
// text, in order, as soon as it can be told apart.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusStream, type StreamItem } from '../../src/buildkit/statusStream';

function feed(lines: readonly string[]): { items: StreamItem[]; pendingAfter: boolean[] } {
  const stream = new StatusStream();
  const items: StreamItem[] = [];
  const pendingAfter: boolean[] = [];
  for (const line of lines) {
    items.push(...stream.push(line));
    pendingAfter.push(stream.pending);
  }
  items.push(...stream.end());
  return { items, pendingAfter };
}

describe('StatusStream', () => {
  it('a pretty-printed status whose strings hold braces, quotes and backslashes comes out once, whole', () => {
    const status = { vertexes: [{ digest: 'sha256:aa', name: 'RUN echo "}" \\ { \\"', error: 'a }} b' }], warnings: [{}, { range: { start: { line: 2 } }, sourceInfo: { filename: 'a"}' } }], logs: [] };
    const pretty = JSON.stringify(status, null, 2).split('\n');
    const { items, pendingAfter } = feed([...pretty, 'error: failed to solve']);
    assert.deepEqual(items, [{ kind: 'status', status }, { kind: 'text', line: 'error: failed to solve' }]);
    assert.deepEqual(pendingAfter, [...pretty.slice(1).map(() => true), false, false]);
  });

  it('compact objects (indented or not) are statuses, text lines are text as soon as they come', () => {
    const stream = new StatusStream();
    assert.deepEqual(stream.push('  {"vertexes":[]}  '), [{ kind: 'status', status: { vertexes: [] } }]);
    assert.equal(stream.pending, false);
    assert.deepEqual(stream.push('#1 resolve { not json'), [{ kind: 'text', line: '#1 resolve { not json' }]);
    assert.deepEqual(stream.push('Dockerfile:3'), [{ kind: 'text', line: 'Dockerfile:3' }]);
    assert.deepEqual(stream.end(), []);
  });

  it('an object that never closes, or that does not parse, comes out as its lines of text', () => {
    assert.deepEqual(feed(['{"a":1', '2}', 'after']).items, [{ kind: 'text', line: '{"a":1' }, { kind: 'text', line: '2}' }, { kind: 'text', line: 'after' }]);
    assert.deepEqual(feed(['{', '  "cut": "off']).items, [{ kind: 'text', line: '{' }, { kind: 'text', line: '  "cut": "off' }]);
    const { items, pendingAfter } = feed(['{', '"a": 1']);
    assert.deepEqual(pendingAfter, [true, true]);
    assert.equal(items.length, 2);
  });

  it('a line with more closing braces than opening ones does not upset the next object', () => {
    const { items } = feed(['{}}', '{', '"b": 2', '}']);
    assert.deepEqual(items, [{ kind: 'text', line: '{}}' }, { kind: 'status', status: { b: 2 } }]);
  });
});
