import { describeEachDialect } from '../support/harness.js';
import { authenticationCases } from './auth-cases.js';

const P = '/v2/products/x';
const read = null;
const edit = { scope: 'edit_products', wrongScope: 'view_sales' };

describeEachDialect('catalog routes: token, scope and paths', (s) => {
  authenticationCases(s, [
    { method: 'GET', path: '/v2/products', scope: read },
    { method: 'POST', path: '/v2/products', ...edit },
    { method: 'GET', path: P, scope: read },
    { method: 'PUT', path: P, ...edit },
    { method: 'DELETE', path: P, ...edit },
    { method: 'PUT', path: `${P}/enable`, ...edit },
    { method: 'PUT', path: `${P}/disable`, ...edit },
    { method: 'GET', path: `${P}/skus`, scope: read },
    { method: 'GET', path: `${P}/offer_codes`, scope: read },
    { method: 'POST', path: `${P}/offer_codes`, ...edit },
    { method: 'GET', path: `${P}/offer_codes/y`, scope: read },
    { method: 'PUT', path: `${P}/offer_codes/y`, ...edit },
    { method: 'DELETE', path: `${P}/offer_codes/y`, ...edit },
    { method: 'GET', path: `${P}/variant_categories`, scope: read },
    { method: 'POST', path: `${P}/variant_categories`, ...edit },
    { method: 'GET', path: `${P}/variant_categories/y`, scope: read },
    { method: 'PUT', path: `${P}/variant_categories/y`, ...edit },
    { method: 'DELETE', path: `${P}/variant_categories/y`, ...edit },
    { method: 'GET', path: `${P}/variant_categories/y/variants`, scope: read },
    { method: 'POST', path: `${P}/variant_categories/y/variants`, ...edit },
    { method: 'GET', path: `${P}/variant_categories/y/variants/z`, scope: read },
    { method: 'PUT', path: `${P}/variant_categories/y/variants/z`, ...edit },
    { method: 'DELETE', path: `${P}/variant_categories/y/variants/z`, ...edit },
    { method: 'GET', path: `${P}/custom_fields`, scope: read },
    { method: 'POST', path: `${P}/custom_fields`, ...edit },
    { method: 'PUT', path: `${P}/custom_fields/Name`, ...edit },
    { method: 'DELETE', path: `${P}/custom_fields/Name`, ...edit },
  ]);
});
