import { describeEachDialect } from '../support/harness.js';
import { authenticationCases } from '../catalog/auth-cases.js';

describeEachDialect('sales routes: token, scope and paths', (s) => {
  authenticationCases(s, [
    { method: 'GET', path: '/v2/sales', scope: 'view_sales', wrongScope: 'edit_products' },
    { method: 'GET', path: '/v2/sales/x', scope: 'view_sales', wrongScope: 'edit_products' },
    { method: 'PUT', path: '/v2/sales/x/mark_as_shipped', scope: 'mark_sales_as_shipped', wrongScope: 'view_sales' },
    { method: 'PUT', path: '/v2/sales/x/refund', scope: 'refund_sales', wrongScope: 'view_sales' },
    { method: 'POST', path: '/v2/purchases', scope: 'edit_sales', wrongScope: 'refund_sales' },
    { method: 'GET', path: '/v2/products/x/subscribers', scope: 'view_sales', wrongScope: 'edit_products' },
    { method: 'GET', path: '/v2/subscribers/x', scope: 'view_sales', wrongScope: 'edit_products' },
    { method: 'PUT', path: '/v2/resource_subscriptions', scope: 'view_sales', wrongScope: 'edit_products' },
    { method: 'GET', path: '/v2/resource_subscriptions', scope: 'view_sales', wrongScope: 'edit_products' },
    { method: 'DELETE', path: '/v2/resource_subscriptions/x', scope: 'view_sales', wrongScope: 'edit_products' },
  ]);
});
