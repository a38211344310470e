import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  'app.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/** Beside this module in src/ and dist/; under web/ beside the bundle (dist/tessera.mjs). */
const STATIC_DIR = [new URL('./static/', import.meta.url), new URL('./web/static/', import.meta.url)].find((dir) => existsSync(dir));

/** Serves the dashboard's own stylesheet, script and icon (no CDN), read once at start. */
export async function staticFiles(app: FastifyInstance): Promise<void> {
  if (!STATIC_DIR) throw new Error('the dashboard\'s static files (src/web/static) are missing');
  for (const [name, type] of Object.entries(TYPES)) {
    const body = readFileSync(new URL(name, STATIC_DIR));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
    app.get(`/static/${name}`, { schema: { hide: true } }, async (request, reply) => {
      reply.header('etag', etag).header('cache-control', 'public, max-age=300');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.type(type).send(body);
    });
  }
  // Browsers and tools that ask for the classic path (pages name the SVG in <link rel="icon">).
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) => reply.header('cache-control', 'public, max-age=86400').redirect('/static/favicon.svg', 301));
}
