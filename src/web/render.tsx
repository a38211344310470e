import type { ComponentChildren, VNode } from 'preact';
import type { FastifyReply } from 'fastify';
import { render } from 'preact-render-to-string';
import { Layout } from './layout.js';

/**
 * Server rendering with Preact components: every interpolated value is escaped by the renderer,
 * so pages are never built by string concatenation. Layouts and pages live in src/web/.
 */
export function renderDocument(page: VNode<any>): string {
  return '<!doctype html>' + render(page);
}

/**
 * A page outside the logged-in dashboard (login, OAuth consent, device code, errors): the same
 * header and stylesheet as the dashboard, without its navigation.
 */
export function BasicPage(props: { title: string; children: ComponentChildren }) {
  return (
    <Layout title={props.title}>
      <div class="panel panel-narrow basic-page">{props.children}</div>
    </Layout>
  );
}

/** Sends a rendered page. Dashboard pages may show secrets once, so nothing is cached. */
export function sendPage(reply: FastifyReply, page: VNode<any>, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderDocument(page));
}
