import { decimalAmount, formatMoney } from '../../catalog/money.js';
import type { CustomField } from '../../catalog/custom-field-service.js';
import type { OfferCode } from '../../catalog/offer-code-service.js';
import { DataTable, ErrorBox, PostForm, Select } from '../components.js';
import { DangerForm } from '../confirm.js';
import {
  deleteCategoryConsequence,
  deleteCustomFieldConsequence,
  deleteOfferCodeConsequence,
  deleteOptionConsequence,
} from '../services/consequences.js';
import type { CategoryWithOptions } from '../services/products.js';
import { Check, SmallField } from './product-fields.js';

/** A form of the product page sent back with a problem: its message and what was typed. */
export interface FormState {
  error: string;
  values: Record<string, string>;
}
export type FormStates = Partial<Record<string, FormState>>;

interface PartProps {
  productId: string;
  productName: string;
  currency: string;
  csrf: string;
  forms: FormStates;
}

const productPath = (id: string) => `/products/${encodeURIComponent(id)}`;
export const categoryPath = (productId: string, categoryId: string) => `${productPath(productId)}/variant-categories/${encodeURIComponent(categoryId)}`;
export const optionPath = (productId: string, categoryId: string, optionId: string) => `${categoryPath(productId, categoryId)}/variants/${encodeURIComponent(optionId)}`;
export const offerCodePath = (productId: string, codeId: string) => `${productPath(productId)}/offer-codes/${encodeURIComponent(codeId)}`;

/** "+$5", "−$2", "no difference". */
function priceDifference(cents: number, currency: string): string {
  if (cents === 0) return 'no difference';
  return `${cents > 0 ? '+' : '−'}${formatMoney(Math.abs(cents), currency)}`;
}

const signedAmount = (cents: number, currency: string) => (cents < 0 ? `-${decimalAmount(-cents, currency)}` : decimalAmount(cents, currency));

/** The fields of an option, new or existing (ids prefixed, so that each row's labels are its own). */
function OptionFields(props: { prefix: string; values: Record<string, string>; currency: string }) {
  const { prefix, values } = props;
  return (
    <>
      <div class="form-row">
        <SmallField label="Option name" name="name" id={`${prefix}-name`} value={values.name} required maxlength={255} />
        <SmallField
          label="Price difference"
          name="price_difference"
          id={`${prefix}-price`}
          value={values.price_difference}
          inputmode="decimal"
          placeholder="0"
          hint={`Added to the price, in ${props.currency.toUpperCase()}; negative for a cheaper option.`}
        />
        <SmallField label="Sales limit" name="max_purchase_count" id={`${prefix}-max`} value={values.max_purchase_count} inputmode="numeric" />
      </div>
      <SmallField label="Option description" name="description" id={`${prefix}-description`} value={values.description} />
    </>
  );
}

function CategoryBlock(props: PartProps & { category: CategoryWithOptions }) {
  const { category: c, productId, currency, forms } = props;
  const path = categoryPath(productId, c.id);
  const rename = forms[`category:${c.id}`];
  const add = forms[`option:${c.id}`];
  const headingId = `category-${c.id}`;
  return (
    <div class="subpanel" role="group" aria-labelledby={headingId}>
      <h3 id={headingId}>{c.title}</h3>
      {c.options.length === 0 ? (
        <p class="muted">No option yet: add the first below.</p>
      ) : (
        <DataTable columns={['Option', 'Price', 'Sales limit', 'Actions']}>
          {c.options.map((o) => {
            const edit = forms[`variant:${o.id}`];
            const values = edit?.values ?? {
              name: o.name,
              price_difference: signedAmount(o.price_difference_cents, currency),
              max_purchase_count: o.max_purchase_count === null ? '' : String(o.max_purchase_count),
              description: o.description,
            };
            return (
              <tr key={o.id}>
                <td data-label="Option">
                  <strong>{o.name}</strong>
                  {o.description && <div class="muted">{o.description}</div>}
                </td>
                <td data-label="Price">{priceDifference(o.price_difference_cents, currency)}</td>
                <td data-label="Sales limit">{o.max_purchase_count === null ? 'none' : String(o.max_purchase_count)}</td>
                <td data-label="Actions">
                  <details class="row-edit" open={edit ? true : undefined}>
                    <summary>Edit {o.name}</summary>
                    <ErrorBox error={edit?.error} />
                    <PostForm action={optionPath(productId, c.id, o.id)} csrf={props.csrf} label={`Edit option ${o.name}`}>
                      <OptionFields prefix={`opt-${o.id}`} values={values} currency={currency} />
                      <button type="submit" class="button button-small">
                        Save option
                      </button>
                    </PostForm>
                  </details>
                  <DangerForm
                    action={`${optionPath(productId, c.id, o.id)}/delete`}
                    csrf={props.csrf}
                    label={`Delete option ${o.name}`}
                    button={`Delete ${o.name}`}
                    consequence={deleteOptionConsequence(props.productName, c.title, o.name)}
                  />
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      <details class="row-edit" open={add ? true : undefined}>
        <summary>Add an option to {c.title}</summary>
        <ErrorBox error={add?.error} />
        <PostForm action={`${path}/variants`} csrf={props.csrf} label={`Add an option to ${c.title}`}>
          <OptionFields prefix={`new-opt-${c.id}`} values={add?.values ?? {}} currency={currency} />
          <button type="submit" class="button button-small">
            Add option
          </button>
        </PostForm>
      </details>
      <div class="actions">
        <details class="row-edit" open={rename ? true : undefined}>
          <summary>Rename {c.title}</summary>
          <ErrorBox error={rename?.error} />
          <PostForm action={path} csrf={props.csrf} label={`Rename ${c.title}`} class="inline-row">
            <SmallField label="Category name" name="title" id={`cat-${c.id}-title`} value={rename?.values.title ?? c.title} required maxlength={255} />
            <button type="submit" class="button button-small">
              Rename
            </button>
          </PostForm>
        </details>
        <DangerForm
          action={`${path}/delete`}
          csrf={props.csrf}
          label={`Delete category ${c.title}`}
          button={`Delete category ${c.title}`}
          consequence={deleteCategoryConsequence(props.productName, c.title, c.options.length)}
        />
      </div>
    </div>
  );
}

/** Variant categories (Size, Edition…) and their options, with price differences. */
export function VariantsPanel(props: PartProps & { categories: CategoryWithOptions[] }) {
  const add = props.forms.category;
  return (
    <section class="panel" aria-labelledby="variants-heading" id="variants">
      <h2 id="variants-heading">Variants</h2>
      <p class="muted">Options buyers choose at checkout, such as a size or an edition, each with its own price difference.</p>
      {props.categories.map((c) => (
        <CategoryBlock key={c.id} {...props} category={c} />
      ))}
      <ErrorBox error={add?.error} />
      <PostForm action={`${productPath(props.productId)}/variant-categories`} csrf={props.csrf} label="Add a variant category" class="inline-row">
        <SmallField label="New category" name="title" id="new-category-title" value={add?.values.title} placeholder="Size, Edition, Seats…" required maxlength={255} />
        <button type="submit" class="button">
          Add category
        </button>
      </PostForm>
    </section>
  );
}

const discountOf = (code: OfferCode, currency: string) => (code.percent_off !== undefined ? `${code.percent_off}% off` : `${formatMoney(code.amount_cents ?? 0, currency)} off`);

/** Offer codes of the product (and the seller's universal ones in its currency). */
export function OfferCodesPanel(props: PartProps & { codes: OfferCode[] }) {
  const { codes, productId, currency, forms } = props;
  const add = forms['offer-code'];
  const v = add?.values ?? {};
  return (
    <section class="panel" aria-labelledby="codes-heading" id="offer-codes">
      <h2 id="codes-heading">Offer codes</h2>
      {codes.length === 0 ? (
        <p class="muted">No offer code yet.</p>
      ) : (
        <DataTable columns={['Code', 'Discount', 'Used', 'Limit', 'Actions']}>
          {codes.map((code) => {
            const edit = forms[`offer-code:${code.id}`];
            return (
              <tr key={code.id}>
                <td data-label="Code">
                  <code>{code.name}</code> {code.universal && <span class="badge">all products</span>}
                </td>
                <td data-label="Discount">{discountOf(code, currency)}</td>
                <td data-label="Used">{String(code.times_used)}</td>
                <td data-label="Limit">{code.max_purchase_count === null ? 'none' : String(code.max_purchase_count)}</td>
                <td data-label="Actions">
                  <details class="row-edit" open={edit ? true : undefined}>
                    <summary>Change the limit of {code.name}</summary>
                    <ErrorBox error={edit?.error} />
                    <PostForm action={offerCodePath(productId, code.id)} csrf={props.csrf} label={`Limit of ${code.name}`} class="inline-row">
                      <SmallField
                        label="Uses allowed"
                        name="max_purchase_count"
                        id={`code-${code.id}-max`}
                        value={edit?.values.max_purchase_count ?? (code.max_purchase_count === null ? '' : String(code.max_purchase_count))}
                        inputmode="numeric"
                        hint="Empty for no limit."
                      />
                      <button type="submit" class="button button-small">
                        Save limit
                      </button>
                    </PostForm>
                  </details>
                  <DangerForm
                    action={`${offerCodePath(productId, code.id)}/delete`}
                    csrf={props.csrf}
                    label={`Delete offer code ${code.name}`}
                    button={`Delete ${code.name}`}
                    consequence={deleteOfferCodeConsequence(code.name, code.times_used, code.universal)}
                  />
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      <h3>Add an offer code</h3>
      <ErrorBox error={add?.error} />
      <PostForm action={`${productPath(productId)}/offer-codes`} csrf={props.csrf} label="Add an offer code">
        <div class="form-row">
          <SmallField label="Code" name="name" id="new-code-name" value={v.name} placeholder="SPRING" required maxlength={100} hint="Letters, numbers, dashes and underscores." />
          <Select
            label="Discount type"
            name="offer_type"
            id="new-code-type"
            options={[
              { value: 'cents', label: `Amount off (${currency.toUpperCase()})` },
              { value: 'percent', label: 'Percent off' },
            ]}
            value={v.offer_type ?? 'cents'}
          />
          <SmallField label="Discount" name="amount" id="new-code-amount" value={v.amount} inputmode="decimal" placeholder="5" required />
          <SmallField label="Uses allowed" name="max_purchase_count" id="new-code-max" value={v.max_purchase_count} inputmode="numeric" hint="Empty for no limit." />
        </div>
        <Check label="Valid on all my products" name="universal" id="new-code-universal" checked={v.universal === 'true'} hint={`every product priced in ${currency.toUpperCase()}`} />
        <button type="submit" class="button">
          Add offer code
        </button>
      </PostForm>
    </section>
  );
}

const FIELD_TYPES = [
  { value: 'text', label: 'Text' },
  { value: 'long_text', label: 'Long text' },
  { value: 'checkbox', label: 'Checkbox' },
  { value: 'terms', label: 'Terms to accept (the name is their URL)' },
  { value: 'file', label: 'File' },
];

/** Questions the checkout asks (custom fields). */
export function CustomFieldsPanel(props: PartProps & { fields: CustomField[] }) {
  const { fields, productId, forms } = props;
  const add = forms['custom-field'];
  const base = `${productPath(productId)}/custom-fields`;
  return (
    <section class="panel" aria-labelledby="fields-heading" id="custom-fields">
      <h2 id="fields-heading">Checkout fields</h2>
      {fields.length === 0 ? (
        <p class="muted">The checkout asks for nothing beyond the email.</p>
      ) : (
        <DataTable columns={['Field', 'Type', 'Required', 'Actions']}>
          {fields.map((f) => (
            <tr key={f.id}>
              <td class="wrap" data-label="Field">
                {f.name}
              </td>
              <td data-label="Type">{FIELD_TYPES.find((t) => t.value === f.type)?.label.split(' (')[0] ?? f.type}</td>
              <td data-label="Required">{f.required ? 'yes' : 'no'}</td>
              <td data-label="Actions">
                <div class="actions license-actions">
                  <PostForm action={`${base}/required`} csrf={props.csrf} label={`${f.required ? 'Make optional' : 'Make required'}: ${f.name}`}>
                    <input type="hidden" name="name" value={f.name} />
                    <input type="hidden" name="required" value={f.required ? 'false' : 'true'} />
                    <button type="submit" class="button button-secondary button-small">
                      {f.required ? 'Make optional' : 'Make required'}
                    </button>
                  </PostForm>
                  <DangerForm
                    action={`${base}/delete`}
                    csrf={props.csrf}
                    label={`Remove field ${f.name}`}
                    button="Remove"
                    hidden={{ name: f.name }}
                    consequence={deleteCustomFieldConsequence(props.productName, f.name, Math.max(0, f.products.length - 1))}
                  />
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <h3>Add a checkout field</h3>
      <ErrorBox error={add?.error} />
      <PostForm action={base} csrf={props.csrf} label="Add a checkout field">
        <div class="form-row">
          <SmallField label="Field name" name="name" id="new-field-name" value={add?.values.name} placeholder="Company name" required maxlength={255} />
          <Select label="Field type" name="type" id="new-field-type" options={FIELD_TYPES} value={add?.values.type ?? 'text'} />
        </div>
        <Check label="Required" name="required" id="new-field-required" checked={add?.values.required === 'true'} hint="the buyer must fill it in" />
        <button type="submit" class="button">
          Add field
        </button>
      </PostForm>
    </section>
  );
}
