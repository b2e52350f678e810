// Whether the views' scope changed (the views reload and the last shown scope is remembered only
// then): the same daemon and the same namespace, "all namespaces" included, or none at all.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sameScope } from '../../src/model/scopeChoice';

const a = { address: '/a.sock', namespace: 'default' };

describe('sameScope', () => {
  it('is the same scope for the same daemon and namespace, and for no scope twice', () => {
    assert.equal(sameScope(a, { address: '/a.sock', namespace: 'default' }), true);
    assert.equal(sameScope({ address: '/a.sock', namespace: undefined }, { address: '/a.sock', namespace: undefined }), true);
    assert.equal(sameScope(undefined, undefined), true);
  });

  it('is another scope for another daemon, another namespace, all namespaces, or none', () => {
    assert.equal(sameScope(a, { address: '/b.sock', namespace: 'default' }), false);
    assert.equal(sameScope(a, { address: '/a.sock', namespace: 'k8s.io' }), false);
    assert.equal(sameScope(a, { address: '/a.sock', namespace: undefined }), false);
    assert.equal(sameScope(undefined, a), false);
    assert.equal(sameScope(a, undefined), false);
  });
});
