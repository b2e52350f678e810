// Daemon text in tooltips shows as text: no link, image or formatting can be injected.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeSpan, escapeMarkdown } from '../../src/model/markdown';

const hostile = ['[docs](https://evil.example/x)', '![](https://tracker.example/p.png)', '<img src=x onerror=alert(1)>', '**bold** _it_ `code`', 'a\nb\r\n# heading'];

describe('markdown escaping', () => {
  it('escapes every character that could start a link, image, HTML or emphasis', () => {
    for (const text of hostile) {
      const escaped = escapeMarkdown(text);
      // Every special character is preceded by a backslash; removing those gives the text back.
      assert.doesNotMatch(escaped, /(^|[^\\])[[\]()<>!*_`#]/, escaped);
      assert.equal(escaped.replace(/\\(.)/g, '$1'), text.replace(/[\r\n]+/g, ' '));
    }
  });

  it('fences a code span longer than any backtick run inside, padding edge backticks', () => {
    assert.equal(codeSpan('sha256:abc'), '`sha256:abc`');
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('``x'), '``` ``x ```');
    assert.equal(codeSpan('line\nbreak'), '`line break`');
    assert.equal(codeSpan(''), '`  `');
  });
});
