import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../auth/plugin.js';
import * as customFields from '../../catalog/custom-field-service.js';
import { smallestUnits } from '../../catalog/money.js';
import * as offerCodes from '../../catalog/offer-code-service.js';
import type { Product } from '../../catalog/product-present.js';
import * as variants from '../../catalog/variant-service.js';
import { TesseraError } from '../../http/errors.js';
import { askFirst, sendConfirmation } from '../confirm.js';
import { checked, formOf, text, type FormBody } from '../form.js';
import {
  deleteCategoryConsequence,
  deleteCustomFieldConsequence,
  deleteOfferCodeConsequence,
  deleteOptionConsequence,
} from '../services/consequences.js';
import { liveProduct, productPath, showProductFormError } from './product-page.js';

const invalid = (message: string) => new TesseraError('CATALOG_INVALID', message);

/** The fields of a form, as typed (for the page it is re-rendered on). */
const valuesOf = (form: FormBody, names: string[]): Record<string, string> => Object.fromEntries(names.map((n) => [n, text(form, n).slice(0, 10_000)]));

/** An amount in the product's currency; blank is `blank`. */
function amountParam(value: string, currency: string, label: string, signed: boolean, blank: number | ''): number | '' {
  if (value === '') return blank;
  const cents = smallestUnits(value, currency, signed);
  if (cents === null) throw invalid(`Enter the ${label} as an amount such as ${signed ? '5, 4.99 or -2' : '5 or 4.99'}.`);
  return cents;
}

const OPTION_FIELDS = ['name', 'price_difference', 'max_purchase_count', 'description'];
const CODE_FIELDS = ['name', 'offer_type', 'amount', 'max_purchase_count', 'universal'];
const FIELD_FIELDS = ['name', 'type', 'required'];

/** The variant parameters of an option form (the API's names; the price difference in cents). */
function optionParams(form: FormBody, currency: string, blankPrice: number | ''): variants.VariantParams {
  return {
    name: text(form, 'name'),
    description: text(form, 'description'),
    price_difference_cents: amountParam(text(form, 'price_difference'), currency, 'price difference', true, blankPrice),
    max_purchase_count: text(form, 'max_purchase_count'),
  };
}

/**
 * The catalog service says only "could not be created" (Gumroad's words, for the API); the
 * dashboard says which of its rules the field broke.
 */
function customFieldProblem(err: unknown, input: { name: string; type: string }, existing: customFields.CustomField[]): unknown {
  if (!(err instanceof TesseraError) || err.code !== 'CUSTOM_FIELD_NOT_CREATED') return err;
  if (!input.name) return invalid("Enter the field's name.");
  if (input.name.length > 255) return invalid('A field name has at most 255 characters.');
  if (input.type === 'terms' && !/^https?:\/\/\S+$/i.test(input.name)) return invalid('A terms field is named by the web address of your terms, starting with https://.');
  if (existing.some((f) => f.name === input.name)) return invalid(`This product already asks for “${input.name}”.`);
  return invalid('Choose one of the field types of the list.');
}

/**
 * A product's variant categories and options, offer codes and checkout fields, over the catalog
 * services the API uses. Deleting any of them asks first (a dialog with script, a confirmation
 * page without); every POST redirects back to the product (303) or re-renders it with the form's
 * problem (4xx).
 */
export async function productPartPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  type Params = { id: string; categoryId?: string; optionId?: string; codeId?: string };
  const paramsOf = (request: FastifyRequest) => request.params as Params;
  const seller = (request: FastifyRequest) => request.viewer!.user.id;
  const back = (reply: FastifyReply, product: Product, saved: string, anchor: string) => reply.redirect(`${productPath(product.id)}?saved=${saved}#${anchor}`, 303);

  // --- variant categories

  const CATEGORIES = '/products/:id/variant-categories';
  const CATEGORY = `${CATEGORIES}/:categoryId`;
  const OPTIONS = `${CATEGORY}/variants`;
  const OPTION = `${OPTIONS}/:optionId`;

  app.post(CATEGORIES, async (request, reply) => {
    const product = await liveProduct(request, paramsOf(request).id);
    const form = formOf(request.body);
    try {
      await variants.createVariantCategory(ctx, seller(request), product.id, text(form, 'title'), actorOf(request));
      return back(reply, product, 'category-added', 'variants');
    } catch (err) {
      return showProductFormError(request, reply, product.id, err, 'category', valuesOf(form, ['title']));
    }
  });

  app.post(CATEGORY, async (request, reply) => {
    const { id, categoryId } = paramsOf(request);
    const product = await liveProduct(request, id);
    const category = await variants.getVariantCategory(ctx, seller(request), product.id, categoryId!);
    const form = formOf(request.body);
    try {
      await variants.updateVariantCategory(ctx, seller(request), product.id, category.id, text(form, 'title'), actorOf(request));
      return back(reply, product, 'category-renamed', 'variants');
    } catch (err) {
      return showProductFormError(request, reply, product.id, err, `category:${category.id}`, valuesOf(form, ['title']));
    }
  });

  app.get(`${CATEGORY}/delete`, async (request, reply) => {
    const { id, categoryId } = paramsOf(request);
    const product = await liveProduct(request, id);
    const category = await variants.getVariantCategory(ctx, seller(request), product.id, categoryId!);
    const options = await variants.listVariants(ctx, seller(request), product.id, category.id);
    return sendConfirmation(request, reply, {
      title: `Delete the category “${category.title}”?`,
      consequence: deleteCategoryConsequence(product.name, category.title, options.length),
      button: 'Delete category',
      cancelHref: `${productPath(product.id)}#variants`,
      active: 'products',
    });
  });

  app.post(`${CATEGORY}/delete`, async (request, reply) => {
    const { id, categoryId } = paramsOf(request);
    const product = await liveProduct(request, id);
    const category = await variants.getVariantCategory(ctx, seller(request), product.id, categoryId!);
    const asked = askFirst(request, reply);
    if (asked) return asked;
    await variants.deleteVariantCategory(ctx, seller(request), product.id, category.id, actorOf(request));
    return back(reply, product, 'category-deleted', 'variants');
  });

  // --- options of a category (variants)

  app.post(OPTIONS, async (request, reply) => {
    const { id, categoryId } = paramsOf(request);
    const product = await liveProduct(request, id);
    const category = await variants.getVariantCategory(ctx, seller(request), product.id, categoryId!);
    const form = formOf(request.body);
    try {
      await variants.createVariant(ctx, seller(request), product.id, category.id, optionParams(form, String(product.currency), ''), actorOf(request));
      return back(reply, product, 'option-added', 'variants');
    } catch (err) {
      return showProductFormError(request, reply, product.id, err, `option:${category.id}`, valuesOf(form, OPTION_FIELDS));
    }
  });

  app.post(OPTION, async (request, reply) => {
    const { id, categoryId, optionId } = paramsOf(request);
    const product = await liveProduct(request, id);
    const option = await variants.getVariant(ctx, seller(request), product.id, categoryId!, optionId!);
    const form = formOf(request.body);
    try {
      await variants.updateVariant(ctx, seller(request), product.id, categoryId!, option.id, optionParams(form, String(product.currency), 0), actorOf(request));
      return back(reply, product, 'option-saved', 'variants');
    } catch (err) {
      return showProductFormError(request, reply, product.id, err, `variant:${option.id}`, valuesOf(form, OPTION_FIELDS));
    }
  });

  app.get(`${OPTION}/delete`, async (request, reply) => {
    const { id, categoryId, optionId } = paramsOf(request);
    const product = await liveProduct(request, id);
    const category = await variants.getVariantCategory(ctx, seller(request), product.id, categoryId!);
    const option = await variants.getVariant(ctx, seller(request), product.id, category.id, optionId!);
    return sendConfirmation(request, reply, {
      title: `Delete the option “${option.name}”?`,
      consequence: deleteOptionConsequence(product.name, category.title, option.name),
      button: 'Delete option',
      cancelHref: `${productPath(product.id)}#variants`,
      active: 'products',
    });
  });

  app.post(`${OPTION}/delete`, async (request, reply) => {
    const { id, categoryId, optionId } = paramsOf(request);
    const product = await liveProduct(request, id);
    const option = await variants.getVariant(ctx, seller(request), product.id, categoryId!, optionId!);
    const asked = askFirst(request, reply);
    if (asked) return asked;
    await variants.deleteVariant(ctx, seller(request), product.id, categoryId!, option.id, actorOf(request));
    return back(reply, product, 'option-deleted', 'variants');
  });

  // --- offer codes

  const CODES = '/products/:id/offer-codes';
  const CODE = `${CODES}/:codeId`;

  app.post(CODES, async (request, reply) => {
    const product = await liveProduct(request, paramsOf(request).id);
    const form = formOf(request.body);
    const values: Record<string, string> = { ...valuesOf(form, CODE_FIELDS), universal: checked(form, 'universal') ? 'true' : '' };
    try {
      const percent = values.offer_type === 'percent';
      if (values.amount === '') throw invalid(percent ? 'Enter the percentage off, from 1 to 100.' : 'Enter the amount off, such as 5 or 4.99.');
      if (values.offer_type !== 'percent' && values.offer_type !== 'cents') throw invalid('Choose an amount off or a percentage off.');
      const amount = percent ? { amount_off: values.amount } : { amount_cents: amountParam(values.amount, String(product.currency), 'amount off', false, '') };
      await offerCodes.createOfferCode(
        ctx,
        seller(request),
        product.id,
        { name: values.name, offer_type: values.offer_type, ...amount, max_purchase_count: values.max_purchase_count, universal: values.universal === 'true' ? 'true' : 'false' },
        actorOf(request),
      );
      return back(reply, product, 'code-added', 'offer-codes');
    } catch (err) {
      return showProductFormError(request, reply, product.id, err, 'offer-code', values);
    }
  });

  app.post(CODE, async (request, reply) => {
    const { id, codeId } = paramsOf(request);
    const product = await liveProduct(request, id);
    const code = await offerCodes.getOfferCode(ctx, seller(request), product.id, codeId!);
    const form = formOf(request.body);
    try {
      await offerCodes.updateOfferCode(ctx, seller(request), product.id, code.id, { max_purchase_count: text(form, 'max_purchase_count') }, actorOf(request));
      return back(reply, product, 'code-saved', 'offer-codes');
    } catch (err) {
      return showProductFormError(request, reply, product.id, err, `offer-code:${code.id}`, valuesOf(form, ['max_purchase_count']));
    }
  });

  app.get(`${CODE}/delete`, async (request, reply) => {
    const { id, codeId } = paramsOf(request);
    const product = await liveProduct(request, id);
    const code = await offerCodes.getOfferCode(ctx, seller(request), product.id, codeId!);
    return sendConfirmation(request, reply, {
      title: `Delete the offer code ${code.name}?`,
      consequence: deleteOfferCodeConsequence(code.name, code.times_used, code.universal),
      button: 'Delete offer code',
      cancelHref: `${productPath(product.id)}#offer-codes`,
      active: 'products',
    });
  });

  app.post(`${CODE}/delete`, async (request, reply) => {
    const { id, codeId } = paramsOf(request);
    const product = await liveProduct(request, id);
    const code = await offerCodes.getOfferCode(ctx, seller(request), product.id, codeId!);
    const asked = askFirst(request, reply);
    if (asked) return asked;
    await offerCodes.deleteOfferCode(ctx, seller(request), product.id, code.id, actorOf(request));
    return back(reply, product, 'code-deleted', 'offer-codes');
  });

  // --- checkout fields (custom fields), named by their name as in the API

  const FIELDS = '/products/:id/custom-fields';

  app.post(FIELDS, async (request, reply) => {
    const product = await liveProduct(request, paramsOf(request).id);
    const form = formOf(request.body);
    const values: Record<string, string> = { ...valuesOf(form, FIELD_FIELDS), required: checked(form, 'required') ? 'true' : '' };
    try {
      await customFields.createCustomField(ctx, seller(request), product.id, { name: values.name, type: values.type, required: values.required === 'true' ? 'true' : 'false' }, actorOf(request));
      return back(reply, product, 'field-added', 'custom-fields');
    } catch (err) {
      const existing = await customFields.listCustomFields(ctx, seller(request), product.id);
      return showProductFormError(request, reply, product.id, customFieldProblem(err, { name: values.name ?? '', type: values.type ?? '' }, existing), 'custom-field', values);
    }
  });

  /** The field a form or a confirmation page names (by `name`, in the body or the query). */
  async function requireField(request: FastifyRequest, product: Product, name: string) {
    const field = (await customFields.listCustomFields(ctx, seller(request), product.id)).find((f) => f.name === name);
    if (!field) throw new TesseraError('CUSTOM_FIELD_NOT_FOUND');
    return field;
  }

  app.post(`${FIELDS}/required`, async (request, reply) => {
    const product = await liveProduct(request, paramsOf(request).id);
    const form = formOf(request.body);
    const field = await requireField(request, product, text(form, 'name'));
    const required = text(form, 'required');
    if (required !== 'true' && required !== 'false') throw new TesseraError('VALIDATION_FAILED', "Send required=true or required=false.");
    await customFields.updateCustomField(ctx, seller(request), product.id, field.name, { required }, actorOf(request));
    return back(reply, product, 'field-saved', 'custom-fields');
  });

  app.get(`${FIELDS}/delete`, async (request, reply) => {
    const product = await liveProduct(request, paramsOf(request).id);
    const name = (request.query as Record<string, unknown>).name;
    const field = await requireField(request, product, typeof name === 'string' ? name : '');
    return sendConfirmation(request, reply, {
      title: `Remove the checkout field “${field.name}”?`,
      consequence: deleteCustomFieldConsequence(product.name, field.name, Math.max(0, field.products.length - 1)),
      button: 'Remove field',
      cancelHref: `${productPath(product.id)}#custom-fields`,
      active: 'products',
      fields: { name: field.name },
    });
  });

  app.post(`${FIELDS}/delete`, async (request, reply) => {
    const product = await liveProduct(request, paramsOf(request).id);
    const field = await requireField(request, product, text(formOf(request.body), 'name'));
    const asked = askFirst(request, reply, ['name']);
    if (asked) return asked;
    await customFields.deleteCustomField(ctx, seller(request), product.id, field.name, actorOf(request));
    return back(reply, product, 'field-deleted', 'custom-fields');
  });
}
