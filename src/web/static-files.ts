import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  'app.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
  'passkeys.js': 'text/javascript; charset=utf-8',
};

/** Beside this module in src/ and dist/; under web/ beside the bundle (dist/tessera.mjs). */
const STATIC_DIR = [new URL('./static/', import.meta.url), new URL('./web/static/', import.meta.url)].find((dir) => existsSync(dir));

/** @simplewebauthn/browser's own browser bundle (UMD: `window.SimpleWebAuthnBrowser`), served as a file of ours. */
function webAuthnBrowserBundle() {
  const main = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  return readFileSync(path.join(path.dirname(main), '..', 'dist', 'bundle', 'index.umd.min.js'));
}

/** Serves the dashboard's own stylesheet, scripts and icon (no CDN), read once at start. */
export async function staticFiles(app: FastifyInstance): Promise<void> {
  if (!STATIC_DIR) throw new Error('the dashboard\'s static files (src/web/static) are missing');
  const files: Array<readonly [string, string, Buffer]> = Object.entries(TYPES).map(([name, type]) => [name, type, readFileSync(new URL(name, STATIC_DIR))] as const);
  files.push(['simplewebauthn-browser.js', 'text/javascript; charset=utf-8', webAuthnBrowserBundle()]);
  for (const [name, type, body] of files) {
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
