import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../auth/plugin.js';
import { v2Guard as guard } from '../catalog/params.js';
import { IdPath, NoParams, V2Reply } from '../catalog/schemas.js';
import { takeDeepPageRequest } from './deep-page-limit.js';
import { nextPageUrl } from './page-key.js';
import { recordPurchase } from './record-purchase.js';
import * as service from './sales-service.js';
import { PurchaseParams, RefundParams, SalesQuery, ShipParams } from './schemas.js';

const tags = ['API v2: sales'];
const response = { 200: V2Reply };

/** /v2/sales (contract §3.6) and POST /v2/purchases (Tessera's extension, decision 4). */
export const salesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;

  app.get('/sales', {
    schema: { tags, summary: 'Sales, newest first, 10 a page', querystring: SalesQuery, response },
    preValidation: guard('view_sales'),
    handler: async (request) => {
      await takeDeepPageRequest(ctx, request.ip, request.query.page);
      const { sales, nextPageKey } = await service.listSales(ctx, request.principal!.userId, request.query);
      if (!nextPageKey) return { success: true, sales };
      return { success: true, sales, next_page_key: nextPageKey, next_page_url: nextPageUrl(request.url, nextPageKey) };
    },
  });

  app.get('/sales/:id', {
    schema: { tags, summary: 'A sale', params: IdPath, querystring: NoParams, response },
    preValidation: guard('view_sales'),
    handler: async (request) => ({ success: true, sale: await service.getSale(ctx, request.principal!.userId, request.params.id) }),
  });

  app.put('/sales/:id/mark_as_shipped', {
    schema: { tags, summary: 'Mark a sale as shipped', params: IdPath, querystring: ShipParams, response },
    preValidation: guard('mark_sales_as_shipped'),
    handler: async (request) => ({
      success: true,
      sale: await service.markSaleAsShipped(ctx, request.principal!.userId, request.params.id, request.query.tracking_url, actorOf(request)),
    }),
  });

  app.put('/sales/:id/refund', {
    schema: { tags, summary: 'Refund a sale, in full or in part', params: IdPath, querystring: RefundParams, response },
    preValidation: guard('refund_sales', 'edit_sales'),
    handler: async (request) => ({
      success: true,
      sale: await service.refundSale(ctx, request.principal!.userId, request.params.id, request.query.amount_cents, actorOf(request)),
    }),
  });

  app.post('/purchases', {
    schema: { tags, summary: 'Record a purchase (Tessera extension); returns the sale with its license key', querystring: PurchaseParams, response },
    preValidation: guard('edit_sales'),
    handler: async (request) => {
      const q = request.query;
      const input = { ...q, product: q.product ?? q.product_id ?? q.product_permalink };
      return { success: true, sale: await recordPurchase(ctx, request.principal!.userId, input, actorOf(request)) };
    },
  });
};
