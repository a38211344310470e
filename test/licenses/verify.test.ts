import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { licensedSale, licenseRow, verify } from './fixtures.js';

describeEachDialect('POST /v2/licenses/verify', (s) => {
  describe('200', () => {
    it('smoke', async () => {
      const { product, sale, key } = await licensedSale(s());
      const res = await verify(s(), { product_id: product.id, license_key: key });
      console.log(JSON.stringify(res.body, null, 1));
      assert.equal(res.status, 200);
      assert.equal((await licenseRow(s(), sale.license_id)).uses, 1);
    });
  });
});
