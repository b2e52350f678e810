// What the .proto reader refuses, and the line it names: a definition outside the subset it
// reads must fail at once with a message a developer can act on, never half-parse.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProto } from '../../src/containerd/proto/protoText';

function refusal(text: string): string {
  try {
    parseProto(text);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return 'parsed';
}

describe('.proto reader refusals', () => {
  it('refuses every proto3 scalar the codec does not implement by its name', () => {
    for (const type of ['double', 'float', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64']) {
      assert.equal(refusal(`package p;\nmessage M {\n  ${type} x = 1;\n}`), `proto line 3: ${type} fields are not supported by this codec (no declared field needs them)`);
    }
  });

  it('refuses a character outside the grammar wherever it stands', () => {
    assert.equal(refusal('package p;\nmessage M { string a = 1 @ }'), 'proto line 2: unexpected "@"');
  });

  it('names the line of the token that is wrong, not the last line of the text', () => {
    assert.equal(refusal('package p;\nmessage M {\n  string a = b1;\n}\n'), 'proto line 3: expected a number, got "b1"');
    assert.equal(refusal('package p;\nmessage 1 {}'), 'proto line 2: expected a name, got "1"');
  });

  it('shows a quoted string where a field number belongs, even one with spaces or slashes', () => {
    assert.equal(refusal('package p; message M { string a = "x y"; }'), 'proto line 1: expected a number, got "\\"x y\\""');
    assert.equal(refusal('package p; message M { string a = "http://x"; }'), 'proto line 1: expected a number, got "\\"http://x\\""');
  });

  it('counts the lines of a block comment', () => {
    const text = 'syntax = "proto3";\n/* Two lines\n   of comment, with * and / inside */\npackage p;\nmessage M { string a = 0; }';
    assert.equal(refusal(text), 'proto line 5: field number 0 of a is out of range');
  });

  it('says the text ended when a declaration is left open', () => {
    assert.equal(refusal('package p;\nmessage M {\n  string a = 1;\n'), 'proto: unexpected end of text');
    assert.equal(refusal('package p;\nmessage M {\n  string a ='), 'proto: unexpected end of text');
  });

  it('names the last line for a fault found after the last token', () => {
    assert.equal(refusal('package p;\nenum E {\n}'), 'proto line 3: enum p.E has no values');
  });

  it('refuses a top-level statement it does not read', () => {
    assert.equal(refusal('package p;\noption java_package = "x";'), 'proto line 2: unexpected "option"');
  });

  it('refuses a fully qualified (leading-dot) type name: our definitions write names relative', () => {
    assert.equal(refusal('package p; message M { .p.M self = 1; }'), 'proto line 1: expected a name, got ".p.M"');
  });

  it('takes field numbers up to 536870911, protobuf\'s largest, and no further', () => {
    const parsed = parseProto('package p; message M { string a = 536870911; }').types[0];
    assert.deepEqual(parsed?.kind === 'message' ? parsed.fields.map((f) => f.number) : [], [536_870_911]);
    assert.equal(refusal('package p; message M { string a = 536870912; }'), 'proto line 1: field number 536870912 of a is out of range');
  });
});
