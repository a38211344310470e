import { CURRENCY_CODES, currencySymbol } from '../../catalog/money.js';
import { ErrorBox, Field, PageHeader, PostForm, Select } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import { DURATION_CHOICES, NATIVE_TYPE_CHOICES, ttlChoices, type ProductFormValues } from '../services/product-form.js';
import { Check, TextArea } from './product-fields.js';

export interface ProductFormProps {
  viewer: Viewer;
  values: ProductFormValues;
  /** The server's license file lifetime when a product sets none (TESSERA_LICENSE_FILE_TTL). */
  defaultFileTtl: number;
  /** Where custom permalinks live: `<origin>/l/`. */
  pageBase: string;
  error?: string | null;
  /** Editing this product; a new one otherwise. */
  product?: { id: string; name: string } | null;
  /** New product: the "publish now" box as sent. */
  publish?: boolean;
}

/** The settings of a product: the same parameters as POST / PUT /v2/products. */
export function ProductFormPage(props: ProductFormProps) {
  const { viewer, values: v, product } = props;
  const editing = Boolean(product);
  const base = product ? `/products/${encodeURIComponent(product.id)}` : '';
  const title = product ? `Edit ${product.name}` : 'New product';
  const currencies = CURRENCY_CODES.map((c) => ({ value: c, label: `${c.toUpperCase()} (${currencySymbol(c)})` }));
  return (
    <Layout title={title} viewer={viewer} active="products">
      <PageHeader title={title} back={product ? { href: base, label: product.name } : { href: '/products', label: 'Products' }} />
      <PostForm action={product ? `${base}/edit` : '/products'} csrf={viewer.csrf} label={editing ? 'Edit product' : 'New product'} class="panel product-form">
        <ErrorBox error={props.error} />
        <fieldset>
          <legend>Product</legend>
          <Field label="Name" name="name" value={v.name} required />
          <TextArea label="Description" name="description" value={v.description} hint="Shown on the product's page; a blank line starts a new paragraph." />
        </fieldset>
        <fieldset>
          <legend>Price</legend>
          <div class="form-row">
            <Field label="Price" name="price" value={v.price} inputmode="decimal" placeholder="9.99" hint="In the currency's unit; 0 or empty for free." />
            <Select label="Currency" name="currency" options={currencies} value={v.currency} />
          </div>
          <Select label="Billing" name="subscription_duration" options={DURATION_CHOICES} value={v.subscription_duration} hint="A subscription charges the price again every period." />
          <Check label="Pay what you want" name="customizable_price" checked={v.customizable_price === 'true'} hint="buyers may pay more than the price" />
          <Field label="Suggested price" name="suggested_price" value={v.suggested_price} inputmode="decimal" hint="Shown to buyers who pay what they want." />
        </fieldset>
        <fieldset>
          <legend>Licensing</legend>
          <Check label="Issue a license key with each sale" name="is_licensed" checked={v.is_licensed === 'true'} hint="your app verifies it with POST /v2/licenses/verify" />
          <div class="form-row">
            <Field
              label="Seats per license key"
              name="activation_limit"
              value={v.activation_limit}
              inputmode="numeric"
              placeholder="unlimited"
              hint="How many installations may activate one key (1 to 100000); empty for unlimited."
            />
            <Select
              label="License file lifetime"
              name="license_file_ttl"
              options={ttlChoices(props.defaultFileTtl, v.license_file_ttl)}
              value={v.license_file_ttl}
              hint="How long a signed offline license file stays valid."
            />
          </div>
          <Check label="Put the buyer's email in license files" name="license_file_email" checked={v.license_file_email === 'true'} hint="anyone holding the file can read it" />
        </fieldset>
        <details class="more-settings" open={hasMore(v) || undefined}>
          <summary>More settings</summary>
          <Field label="Custom permalink" name="custom_permalink" value={v.custom_permalink} hint={`Letters, numbers, dashes and underscores: the page becomes ${props.pageBase}<permalink>.`} />
          <div class="form-row">
            <Field label="Sales limit" name="max_purchase_count" value={v.max_purchase_count} inputmode="numeric" hint="At most this many sales; empty for no limit." />
            <Select label="Product type" name="native_type" options={NATIVE_TYPE_CHOICES.map((t) => ({ value: t, label: t }))} value={v.native_type} />
          </div>
          <Field label="Tags" name="tags" value={v.tags} hint="Separated by commas, at most 20." />
          <TextArea label="Summary" name="custom_summary" value={v.custom_summary} rows={2} />
          <TextArea label="Receipt note" name="custom_receipt" value={v.custom_receipt} rows={2} hint="Added to the buyer's receipt." />
          <Field label="Taxonomy ID" name="taxonomy_id" value={v.taxonomy_id} inputmode="numeric" hint="Gumroad's category number, kept as given." />
          <Check label="Requires shipping" name="require_shipping" checked={v.require_shipping === 'true'} />
        </details>
        {!editing && <Check label="Publish it now" name="publish" checked={props.publish === true} hint="otherwise it stays a draft until you publish it" />}
        <div class="actions">
          <button type="submit" class="button">
            {editing ? 'Save changes' : 'Create product'}
          </button>
          <a class="button button-secondary" href={product ? base : '/products'}>
            Cancel
          </a>
        </div>
      </PostForm>
    </Layout>
  );
}

/** "More settings" opens by itself when one of them is set. */
function hasMore(v: ProductFormValues): boolean {
  return Boolean(v.custom_permalink || v.max_purchase_count || v.tags || v.custom_summary || v.custom_receipt || v.taxonomy_id || v.require_shipping || (v.native_type && v.native_type !== 'digital'));
}
