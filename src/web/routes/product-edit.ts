import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { actorOf } from '../../auth/plugin.js';
import { createProduct, deleteProduct, setProductPublished, updateProduct } from '../../catalog/product-service.js';
import { askFirst, sendConfirmation } from '../confirm.js';
import { formProblem } from '../errors.js';
import { checked, formOf } from '../form.js';
import { ProductFormPage, type ProductFormProps } from '../pages/product-form.js';
import { sendPage } from '../render.js';
import { deleteProductConsequence } from '../services/consequences.js';
import { EMPTY_PRODUCT_FORM, productFormValues, productParamsOf, readProductForm, type ProductFormValues } from '../services/product-form.js';
import { productLicenseCount } from '../services/products.js';
import { liveProduct, productPath, showProductFormError } from './product-page.js';

/**
 * Products by hand, over the catalog service the API uses (src/catalog/product-service.ts):
 * create, edit, publish / unpublish, delete after asking. Every POST redirects (303) on success;
 * a mistake re-renders its form with what was typed, the message and the 4xx.
 */
export async function productEditPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  function showForm(request: FastifyRequest, reply: FastifyReply, props: Omit<ProductFormProps, 'viewer' | 'defaultFileTtl' | 'pageBase'>, status = 200) {
    return sendPage(reply, h(ProductFormPage, { viewer: request.viewer!, defaultFileTtl: ctx.config.licenseFileTtl, pageBase: `${ctx.config.publicUrl}/l/`, ...props }), status);
  }

  app.get('/products/new', async (request, reply) => showForm(request, reply, { values: EMPTY_PRODUCT_FORM }));

  app.post('/products', async (request, reply) => {
    const form = formOf(request.body);
    const values = readProductForm(form);
    const publish = checked(form, 'publish');
    try {
      const params = productParamsOf(values);
      const product = await createProduct(ctx, request.viewer!.user.id, params, actorOf(request), false, publish);
      return reply.redirect(`${productPath(product.id)}?saved=created`, 303);
    } catch (err) {
      const { status, message } = formProblem(err);
      return showForm(request, reply, { values, publish, error: message }, status);
    }
  });

  app.get('/products/:id/edit', async (request, reply) => {
    const product = await liveProduct(request, idOf(request));
    return showForm(request, reply, { values: productFormValues(product), product });
  });

  app.post('/products/:id/edit', async (request, reply) => {
    const product = await liveProduct(request, idOf(request));
    const current = productFormValues(product);
    const values: ProductFormValues = readProductForm(formOf(request.body), current);
    try {
      const params = productParamsOf(values, current);
      if (Object.keys(params).length > 0) await updateProduct(ctx, request.viewer!.user.id, product.id, params, actorOf(request));
      return reply.redirect(`${productPath(product.id)}?saved=saved`, 303);
    } catch (err) {
      const { status, message } = formProblem(err);
      return showForm(request, reply, { values, product, error: message }, status);
    }
  });

  for (const [verb, published] of [['publish', true], ['unpublish', false]] as const) {
    app.post(`/products/:id/${verb}`, async (request, reply) => {
      const product = await liveProduct(request, idOf(request));
      try {
        await setProductPublished(ctx, request.viewer!.user.id, product.id, published, actorOf(request));
        return reply.redirect(`${productPath(product.id)}?saved=${verb}ed`, 303);
      } catch (err) {
        return showProductFormError(request, reply, product.id, err, 'state', {});
      }
    });
  }

  app.get('/products/:id/delete', async (request, reply) => {
    const product = await liveProduct(request, idOf(request));
    const licenses = await productLicenseCount(ctx, request.viewer!.user.id, product.id);
    return sendConfirmation(request, reply, {
      title: `Delete “${product.name}”?`,
      consequence: deleteProductConsequence(product.name, { published: product.published, sales: Number(product.sales_count ?? 0), licenses: licenses.enabled }),
      button: 'Delete product',
      cancelHref: productPath(product.id),
      active: 'products',
    });
  });

  app.post('/products/:id/delete', async (request, reply) => {
    const product = await liveProduct(request, idOf(request));
    const asked = askFirst(request, reply);
    if (asked) return asked;
    await deleteProduct(ctx, request.viewer!.user.id, product.id, actorOf(request));
    return reply.redirect('/products?done=deleted', 303);
  });
}
