import type { Product } from '../../catalog/product-present.js';
import type { Sale } from '../../sales/sale-present.js';
import { ErrorBox, Field, Notice, PageHeader, PostForm } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import type { SaleLine } from '../services/licenses.js';
import { LicenseNotice, type LicenseDone } from './license-notice.js';
import { SalesTable } from './sales-table.js';

export interface ProductPageProps {
  viewer: Viewer;
  product: Product;
  lines: SaleLine[];
  nextPageHref: string | null;
  returnTo: string;
  /** The sale just recorded by hand, with its license key. */
  recorded?: Sale | null;
  done?: LicenseDone | null;
  purchaseForm?: { email: string; full_name: string; quantity: string; price: string; error: string } | null;
}

/** One product: its sales with licenses, and the form to record a purchase by hand. */
export function ProductPage(props: ProductPageProps) {
  const { viewer, product, recorded, purchaseForm: form } = props;
  const base = `/products/${encodeURIComponent(product.id)}`;
  return (
    <Layout title={product.name} viewer={viewer} active="products">
      <PageHeader title={product.name} back={{ href: '/products', label: 'Products' }}>
        <p class="muted">
          {String(product.formatted_price)} · {product.published ? 'published' : 'unpublished'} · product ID <code>{product.id}</code>
        </p>
      </PageHeader>
      {recorded && (
        <Notice>
          Purchase recorded for {recorded.email}.
          {typeof recorded.license_key === 'string' && (
            <>
              {' '}
              License key: <code id="recorded-key">{recorded.license_key}</code>
            </>
          )}
        </Notice>
      )}
      <LicenseNotice done={props.done} />
      <section class="panel" aria-labelledby="sales-heading">
        <h2 id="sales-heading">Sales</h2>
        {props.lines.length === 0 ? <p class="muted">No sales yet.</p> : <SalesTable lines={props.lines} csrf={viewer.csrf} returnTo={() => props.returnTo} />}
        {props.nextPageHref && (
          <a class="button button-secondary" href={props.nextPageHref}>
            Older sales
          </a>
        )}
      </section>
      <section class="panel" aria-labelledby="record-heading">
        <h2 id="record-heading">Record a purchase</h2>
        <p class="muted">For a sale made elsewhere: the buyer gets a license key if the product issues them.</p>
        <ErrorBox error={form?.error} />
        <PostForm action={`${base}/purchases`} csrf={viewer.csrf} label="Record a purchase">
          <div class="form-row">
            <Field label="Buyer email" name="email" type="email" value={form?.email} required />
            <Field label="Buyer name" name="full_name" value={form?.full_name} />
          </div>
          <div class="form-row">
            <Field label="Quantity" name="quantity" type="number" value={form?.quantity ?? '1'} inputmode="numeric" required />
            <Field label="Price paid, in cents" name="price" type="number" value={form?.price} inputmode="numeric" hint="Leave empty for the product's price." />
          </div>
          <button type="submit" class="button">
            Record purchase
          </button>
        </PostForm>
      </section>
    </Layout>
  );
}
