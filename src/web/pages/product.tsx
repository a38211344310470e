import type { ComponentChildren } from 'preact';
import { formatMoney } from '../../catalog/money.js';
import type { Product } from '../../catalog/product-present.js';
import type { Sale } from '../../sales/sale-present.js';
import { ErrorBox, Field, Notice, PageHeader, PostForm } from '../components.js';
import { DangerForm } from '../confirm.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import { deleteProductConsequence } from '../services/consequences.js';
import { durationWords } from '../services/product-form.js';
import type { SaleLine } from '../services/licenses.js';
import type { ProductParts } from '../services/products.js';
import { LicenseNotice, type LicenseDone } from './license-notice.js';
import { CustomFieldsPanel, OfferCodesPanel, VariantsPanel, type FormStates } from './product-parts.js';
import { SalesTable } from './sales-table.js';

/** What the last form of a product did, after its redirect (`?saved=`). */
export const PRODUCT_NOTICES = {
  created: 'Product created.',
  saved: 'Changes saved.',
  published: 'Published: its page sells it now.',
  unpublished: 'Unpublished: its page no longer sells it. License keys already sold keep verifying.',
  'category-added': 'Variant category added.',
  'category-renamed': 'Variant category renamed.',
  'category-deleted': 'Variant category deleted.',
  'option-added': 'Option added.',
  'option-saved': 'Option saved.',
  'option-deleted': 'Option deleted.',
  'code-added': 'Offer code added.',
  'code-saved': 'Offer code limit saved.',
  'code-deleted': 'Offer code deleted.',
  'field-added': 'Checkout field added.',
  'field-saved': 'Checkout field saved.',
  'field-deleted': 'Checkout field removed.',
} as const;
export type ProductNotice = keyof typeof PRODUCT_NOTICES;

export function isProductNotice(value: unknown): value is ProductNotice {
  return typeof value === 'string' && Object.hasOwn(PRODUCT_NOTICES, value);
}

export interface ProductPageProps {
  viewer: Viewer;
  product: Product;
  parts: ProductParts;
  /** License keys of the product's sales (the delete confirmation names them). */
  licenses: { total: number; enabled: number };
  defaultFileTtl: number;
  lines: SaleLine[];
  nextPageHref: string | null;
  returnTo: string;
  /** The sale just recorded by hand, with its license key. */
  recorded?: Sale | null;
  done?: LicenseDone | null;
  notice?: ProductNotice | null;
  /** Forms sent back with a problem, by form name ('purchase', 'category', `option:<id>`…). */
  forms?: FormStates;
  /** Sales and license verifications per day (src/web/dashboard-charts.tsx). */
  charts?: ComponentChildren;
}

function Settings(props: { product: Product; defaultFileTtl: number }) {
  const p = props.product;
  const limit = typeof p.activation_limit === 'number' ? `${p.activation_limit} per key` : 'unlimited';
  const ttl = typeof p.license_file_ttl === 'number' ? durationWords(p.license_file_ttl) : `server default (${durationWords(props.defaultFileTtl)})`;
  return (
    <dl class="facts">
      <dt>Price</dt>
      <dd>
        {String(p.formatted_price)}
        {p.customizable_price ? ` (pay what you want${typeof p.suggested_price_cents === 'number' ? `, suggested ${formatMoney(p.suggested_price_cents, String(p.currency))}` : ''})` : ''}
      </dd>
      <dt>Billing</dt>
      <dd>{p.subscription_duration ? `subscription, ${String(p.subscription_duration).replace(/_/g, ' ')}` : 'one-time purchase'}</dd>
      <dt>License keys</dt>
      <dd>{p.is_licensed ? `issued with each sale; seats ${limit}; license files valid ${ttl}` : 'not issued'}</dd>
      <dt>Page</dt>
      <dd>
        {p.published ? (
          <a href={String(p.short_url)}>{String(p.short_url)}</a>
        ) : (
          <>
            <code>{String(p.short_url)}</code> <span class="muted">(not on sale while unpublished)</span>
          </>
        )}
      </dd>
      <dt>Product ID</dt>
      <dd>
        <code>{p.id}</code>
      </dd>
    </dl>
  );
}

/**
 * One product: its settings and state, variants, offer codes, checkout fields, its sales with
 * licenses, and the form to record a purchase by hand.
 */
export function ProductPage(props: ProductPageProps) {
  const { viewer, product, recorded, parts } = props;
  const forms = props.forms ?? {};
  const purchase = forms.purchase;
  const base = `/products/${encodeURIComponent(product.id)}`;
  const part = { productId: product.id, productName: product.name, currency: String(product.currency), csrf: viewer.csrf, forms };
  const stateForm = forms.state;
  return (
    <Layout title={product.name} viewer={viewer} active="products">
      <PageHeader title={product.name} back={{ href: '/products', label: 'Products' }}>
        <p class="muted">
          {String(product.formatted_price)} · {product.published ? <span class="badge badge-ok">published</span> : <span class="badge">unpublished</span>}
        </p>
      </PageHeader>
      {props.notice && <Notice>{PRODUCT_NOTICES[props.notice]}</Notice>}
      {props.charts && (
        <section class="panel charts" aria-label="Charts">
          {props.charts}
        </section>
      )}
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
      {product.deleted ? (
        <Notice kind="warning">This product was deleted: it is no longer sold or listed. Its sales and their license keys are kept below.</Notice>
      ) : (
        <>
      <section class="panel" aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        <Settings product={product} defaultFileTtl={props.defaultFileTtl} />
        <ErrorBox error={stateForm?.error} />
        <div class="actions">
          <a class="button" href={`${base}/edit`}>
            Edit product
          </a>
          <PostForm action={`${base}/${product.published ? 'unpublish' : 'publish'}`} csrf={viewer.csrf} label={product.published ? 'Unpublish' : 'Publish'}>
            <button type="submit" class="button button-secondary">
              {product.published ? 'Unpublish' : 'Publish'}
            </button>
          </PostForm>
          <DangerForm
            action={`${base}/delete`}
            csrf={viewer.csrf}
            label="Delete product"
            button="Delete product"
            buttonClass="button button-danger"
            consequence={deleteProductConsequence(product.name, {
              published: product.published,
              sales: Number(product.sales_count ?? 0),
              licenses: props.licenses.enabled,
            })}
          />
        </div>
      </section>
      <VariantsPanel {...part} categories={parts.categories} />
      <OfferCodesPanel {...part} codes={parts.offerCodes} />
      <CustomFieldsPanel {...part} fields={parts.customFields} />
        </>
      )}
      <section class="panel" aria-labelledby="sales-heading">
        <h2 id="sales-heading">Sales</h2>
        {props.lines.length === 0 ? <p class="muted">No sales yet.</p> : <SalesTable lines={props.lines} csrf={viewer.csrf} returnTo={() => props.returnTo} />}
        {props.nextPageHref && (
          <a class="button button-secondary" href={props.nextPageHref}>
            Older sales
          </a>
        )}
      </section>
      {!product.deleted && (
      <section class="panel" aria-labelledby="record-heading">
        <h2 id="record-heading">Record a purchase</h2>
        <p class="muted">For a sale made elsewhere: the buyer gets a license key if the product issues them.</p>
        <ErrorBox error={purchase?.error} />
        <PostForm action={`${base}/purchases`} csrf={viewer.csrf} label="Record a purchase">
          <div class="form-row">
            <Field label="Buyer email" name="email" type="email" value={purchase?.values.email} required />
            <Field label="Buyer name" name="full_name" value={purchase?.values.full_name} />
          </div>
          <div class="form-row">
            <Field label="Quantity" name="quantity" type="number" value={purchase?.values.quantity ?? '1'} inputmode="numeric" required />
            <Field label="Price paid, in cents" name="price" type="number" value={purchase?.values.price} inputmode="numeric" hint="Leave empty for the product's price." />
          </div>
          <button type="submit" class="button">
            Record purchase
          </button>
        </PostForm>
      </section>
      )}
    </Layout>
  );
}
