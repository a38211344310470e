import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  'app.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
};

/** Serves the dashboard's own stylesheet and script (no CDN), read once at start. */
export async function staticFiles(app: FastifyInstance): Promise<void> {
  for (const [name, type] of Object.entries(TYPES)) {
    const body = readFileSync(new URL(`./static/${name}`, import.meta.url));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
    app.get(`/static/${name}`, { schema: { hide: true } }, async (request, reply) => {
      reply.header('etag', etag).header('cache-control', 'public, max-age=300');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.type(type).send(body);
    });
  }
}
