import { it } from 'node:test';
import assert from 'node:assert/strict';
import { hasAnyUser } from '../../src/accounts/store.js';
import { startBanner, tesseraVersion } from '../../src/http/banner.js';
import { describeEachDialect } from '../support/harness.js';

describeEachDialect('the start banner (npm start in a terminal)', (s) => {
  it('says to create the first account on an empty instance, and to sign in once one exists', async () => {
    const url = 'http://127.0.0.1:3000';
    assert.equal(await hasAnyUser(s().ctx.db), false);
    const first = startBanner(s().ctx.config, url, await hasAnyUser(s().ctx.db));
    assert.equal(first.split('\n')[0], `Tessera ${tesseraVersion()} listening on ${url} — open it to create the first account`);
    assert.match(first.split('\n')[1]!, /^Data: .+ · Node v\d+\.\d+\.\d+ · LOG_LEVEL=\w+$/);

    await s().signUp();
    assert.equal(await hasAnyUser(s().ctx.db), true);
    const later = startBanner(s().ctx.config, url, await hasAnyUser(s().ctx.db));
    assert.equal(later.split('\n')[0], `Tessera ${tesseraVersion()} listening on ${url} — open it to sign in`);
  });
});
