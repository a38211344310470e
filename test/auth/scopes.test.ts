import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PUBLIC_SCOPES, READ_SCOPES, parseScopes, scopesAllow, unknownScopes } from '../../src/auth/scopes.js';

describe('scope check', () => {
  it('passes a token holding any one accepted scope', () => {
    assert.equal(scopesAllow(['view_sales'], ['edit_products', 'view_sales']), true);
  });
  it('refuses a token holding none of them', () => {
    assert.equal(scopesAllow(['view_public'], ['edit_products']), false);
    assert.equal(scopesAllow([], READ_SCOPES), false);
  });
  it('lets account pass every endpoint', () => {
    assert.equal(scopesAllow(new Set(['account']), ['refund_sales']), true);
  });
  it('treats view_public as a read scope only', () => {
    assert.equal(scopesAllow(['view_public'], READ_SCOPES), true);
    assert.equal(scopesAllow(['view_public'], ['view_sales']), false);
  });
  it('parses space- or comma-separated lists without duplicates and names unknown scopes', () => {
    assert.deepEqual(parseScopes('view_sales  edit_products,view_sales'), ['view_sales', 'edit_products']);
    assert.deepEqual(unknownScopes(['view_sales', 'admin']), ['admin']);
    assert.deepEqual(unknownScopes([...PUBLIC_SCOPES]), []);
  });
});
