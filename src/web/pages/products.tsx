import type { ComponentChildren } from 'preact';
import type { Product } from '../../catalog/product-present.js';
import { Csrf, DataTable, Notice, PageHeader } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';

/**
 * Search by license key or buyer email: the support desk's entry point. A POST, so that a key
 * never sits in a URL (logs, history, Referer).
 */
export function LicenseSearchForm(props: { csrf: string; q?: string }) {
  return (
    <form method="post" action="/licenses" class="panel" role="search" aria-label="Find a license">
      <Csrf token={props.csrf} />
      <div class="form-row">
        <div class="field">
          <label for="f-q">Find a license by key or buyer email</label>
          <input id="f-q" name="q" type="search" value={props.q} required placeholder="buyer@example.com or XXXXXXXX-XXXXXXXX-…" autocomplete="off" />
        </div>
        <div class="field">
          <button type="submit" class="button">
            Search
          </button>
        </div>
      </div>
    </form>
  );
}

/** The seller's products, with their sales count. */
export function ProductsPage(props: { viewer: Viewer; products: Product[]; deleted?: boolean; /** Sales per day (src/web/dashboard-charts.tsx). */ charts?: ComponentChildren }) {
  return (
    <Layout title="Products" viewer={props.viewer} active="products">
      <PageHeader title="Products and licenses">
        <div class="actions">
          <a class="button" href="/products/new">
            New product
          </a>
        </div>
      </PageHeader>
      {props.deleted && <Notice>Product deleted.</Notice>}
      {props.charts && (
        <section class="panel charts" aria-label="Charts">
          {props.charts}
        </section>
      )}
      <LicenseSearchForm csrf={props.viewer.csrf} />
      <section class="panel" aria-labelledby="products-heading">
        <h2 id="products-heading">Products</h2>
        {props.products.length === 0 ? (
          <p class="muted">
            No products yet. <a href="/products/new">Create one</a> here, with <code>POST /v2/products</code> or with <code>npx tessera product create</code>.
          </p>
        ) : (
          <DataTable columns={['Product', 'Price', 'Sales', 'State']}>
            {props.products.map((p) => (
              <tr key={p.id}>
                <td data-label="Product">
                  <a href={`/products/${encodeURIComponent(p.id)}`}>{p.name}</a>
                </td>
                <td data-label="Price">{String(p.formatted_price)}</td>
                <td data-label="Sales">{String(p.sales_count ?? 0)}</td>
                <td data-label="State">{p.published ? <span class="badge badge-ok">published</span> : <span class="badge">unpublished</span>}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </Layout>
  );
}
