import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goFitsDlv, goMinor, goRangeOfDlv, parseDlvVersion } from '../../src/debug/dlvCompat';

test('dlv version is read from `dlv version` output, with or without a v', () => {
  assert.equal(parseDlvVersion('Delve Debugger\nVersion: 1.20.2\nBuild: $Id: e0c2 $\n'), '1.20.2');
  assert.equal(parseDlvVersion('Delve Debugger\nVersion: v1.27.2\nBuild: $Id$\n'), '1.27.2');
  assert.equal(parseDlvVersion('dlv: command not found'), undefined);
});

test('each Delve release maps to the Go range it shipped with, patch releases included', () => {
  assert.deepEqual(goRangeOfDlv('1.20.2'), { min: 18, max: 20 });
  assert.deepEqual(goRangeOfDlv('1.21.0'), { min: 18, max: 21 });
  assert.deepEqual(goRangeOfDlv('1.21.2'), { min: 19, max: 21 });
  assert.deepEqual(goRangeOfDlv('1.25.0'), { min: 21, max: 24 });
  assert.deepEqual(goRangeOfDlv('1.25.2'), { min: 22, max: 25 });
  assert.deepEqual(goRangeOfDlv('1.27.2'), { min: 25, max: 27 });
  assert.deepEqual(goRangeOfDlv('1.27.10'), { min: 25, max: 27 });
  assert.equal(goRangeOfDlv('1.19.1'), undefined, 'older than the table');
  assert.equal(goRangeOfDlv('1.28.0'), undefined, 'newer than the table: not judged');
  assert.equal(goRangeOfDlv('2.0.0'), undefined);
});

test('Go minors are read from build info versions', () => {
  assert.equal(goMinor('go1.26.8'), 26);
  assert.equal(goMinor('go1.19.8'), 19);
  assert.equal(goMinor('go1.22rc1'), 22);
  assert.equal(goMinor('devel +abc'), undefined);
});

test('a Go outside the range says which side is too old', () => {
  assert.deepEqual(goFitsDlv('1.20.2', 'go1.26.8'), { fits: false, reason: 'too-old-dlv', range: { min: 18, max: 20 } });
  assert.deepEqual(goFitsDlv('1.27.2', 'go1.19.8'), { fits: false, reason: 'too-old-go', range: { min: 25, max: 27 } });
  assert.deepEqual(goFitsDlv('1.27.2', 'go1.25.0'), { fits: true });
  assert.deepEqual(goFitsDlv('1.27.2', 'go1.27.1'), { fits: true });
  assert.deepEqual(goFitsDlv('1.20.2', 'go1.18'), { fits: true });
  assert.deepEqual(goFitsDlv('1.29.0', 'go1.26.8'), { fits: 'unknown' });
  assert.deepEqual(goFitsDlv('1.27.2', 'devel'), { fits: 'unknown' });
});
