// Code spans of daemon text at their edges: a Windows line break is one space, like a Unix one,
// and a backtick at the end only (a label value such as `echo hi`) is padded like one at the start.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeSpan } from '../../src/model/markdown';

describe('code span edges', () => {
  it('flattens a CRLF line break to one space', () => {
    assert.equal(codeSpan('first\r\nsecond'), '`first second`');
  });

  it('pads a text that ends with a backtick, so the fence is not lengthened by it', () => {
    assert.equal(codeSpan('run x`'), '`` run x` ``');
    assert.equal(codeSpan('`x'), '`` `x ``');
  });
});
