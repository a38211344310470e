import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { actorOf, requireScope } from '../auth/plugin.js';
import { mergedParams } from '../http/params.js';
import { deleteLicenseActivation, listLicenseActivations, setLicenseActivationLimit } from './activation-seller.js';
import { publishedJwks } from './license-file-keys.js';
import { issueLicenseFile } from './license-file-service.js';
import { licenseRef, textParam } from './params.js';
import { LicenseFailure } from './schemas.js';

const tags = ['API v2: licenses'];
const failures = { 400: LicenseFailure, 401: LicenseFailure, 403: LicenseFailure, 404: LicenseFailure, 429: LicenseFailure };
const param = (description: string) => Type.Optional(Type.Unknown({ description }));
const LicensePath = Type.Object({ license_id: Type.String({ minLength: 1, maxLength: 100 }) });
const InstancePath = Type.Object({ license_id: Type.String({ minLength: 1, maxLength: 100 }), instance_id: Type.String({ minLength: 1, maxLength: 100 }) });
const Seats = Type.Object(
  {
    success: Type.Literal(true),
    license_id: Type.String(),
    activation_limit: Type.Union([Type.Integer(), Type.Null()], { description: 'Seats; null = unlimited.' }),
    activation_limit_source: Type.String({ description: 'license (its own limit), product, or none.' }),
    activation_usage: Type.Integer(),
    activations: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        fingerprint: Type.Union([Type.String(), Type.Null()]),
        ip_country: Type.Union([Type.String(), Type.Null()]),
        created_at: Type.String(),
        last_seen_at: Type.String(),
      }),
    ),
  },
  { additionalProperties: true },
);
const Deleted = Type.Object({
  success: Type.Literal(true),
  message: Type.String(),
  activation_usage: Type.Integer(),
  activation_limit: Type.Union([Type.Integer(), Type.Null()]),
});
const LicenseFile = Type.Object({
  success: Type.Literal(true),
  license_file: Type.String({ description: 'Compact JWS (EdDSA / Ed25519); verify with /.well-known/jwks.json.' }),
  kid: Type.String(),
  issued_at: Type.String(),
  expires_at: Type.String(),
});

/** Seats (activations) and license files under /v2/licenses (docs/licensing.md). */
export const activationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;

  app.get('/licenses/:license_id/activations', {
    preValidation: requireScope('edit_products', 'view_sales'),
    schema: { tags, summary: "A license's activations (instances) and its seat limit", security: [{ bearer: [] }], params: LicensePath, response: { 200: Seats, ...failures } },
    handler: async (request) => listLicenseActivations(ctx, request.principal!.userId, request.params.license_id),
  });

  app.delete('/licenses/:license_id/activations/:instance_id', {
    preValidation: requireScope('edit_products'),
    schema: { tags, summary: 'Deactivate an instance: frees its seat', security: [{ bearer: [] }], params: InstancePath, response: { 200: Deleted, ...failures } },
    handler: async (request) => deleteLicenseActivation(ctx, request.principal!.userId, request.params.license_id, request.params.instance_id, actorOf(request)),
  });

  app.put('/licenses/:license_id/activation_limit', {
    preValidation: requireScope('edit_products'),
    schema: {
      tags,
      summary: "Set this license's own seat limit, or follow its product's again",
      security: [{ bearer: [] }],
      params: LicensePath,
      body: Type.Object({ activation_limit: param('1 to 100000, `unlimited`, or `product` (blank) to follow the product.') }, { additionalProperties: true }),
      response: { 200: Seats, ...failures },
    },
    validatorCompiler: () => () => true,
    handler: async (request) =>
      setLicenseActivationLimit(ctx, request.principal!.userId, request.params.license_id, mergedParams(request).activation_limit, actorOf(request)),
  });

  app.post('/licenses/file', {
    schema: {
      tags,
      summary: 'A signed offline license file for a key (no token needed), optionally bound to an instance',
      body: Type.Object(
        { license_key: param('The key.'), product_id: param("The product's id (or product_permalink)."), product_permalink: param('Or the permalink.'), instance_id: param('Bind the file to this activation.') },
        { additionalProperties: true },
      ),
      response: { 200: LicenseFile, ...failures },
    },
    validatorCompiler: () => () => true,
    handler: async (request) => {
      const params = mergedParams(request);
      return issueLicenseFile(ctx, licenseRef(params), textParam(params, 'instance_id'), request.ip);
    },
  });
};

/** GET /.well-known/jwks.json: the public keys license files are signed with. */
export const jwksRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  app.get('/.well-known/jwks.json', {
    schema: { tags: ['License files'], summary: 'The JWKS verifying offline license files (Ed25519, EdDSA)' },
    handler: async (_request, reply: FastifyReply) => {
      reply.header('cache-control', 'public, max-age=300');
      return publishedJwks(ctx);
    },
  });
};
