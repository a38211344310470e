import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP service for http_request steps: /echo returns the request, /items/:id an item,
 * /fail a 500, /hang never answers, /big 2 MiB, /count counts its calls.
 */
export async function startTarget() {
  const calls: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.url === '/echo') return json(201, { id: 'item 42', method: req.method, received: body ? JSON.parse(body) : null, auth: req.headers.authorization ?? null });
      if (req.url?.startsWith('/items/')) return json(200, { id: decodeURIComponent(req.url.slice(7)), price: 1000 });
      if (req.url === '/fail') return json(500, { error: 'boom' });
      if (req.url === '/hang') return;
      if (req.url === '/big') return res.end(Buffer.alloc(2 * 1024 * 1024, 'x'));
      if (req.url === '/text') return res.end('plain words');
      json(404, { error: 'no route' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
