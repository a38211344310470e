import type { ComponentChildren, VNode } from 'preact';
import { render } from 'preact-render-to-string';

/**
 * Server rendering with Preact components: every interpolated value is escaped by the renderer,
 * so pages are never built by string concatenation. Layouts and pages live in src/web/.
 */
export function renderDocument(page: VNode): string {
  return '<!doctype html>' + render(page);
}

/** The minimal shell every server-rendered page uses until the dashboard layout replaces it. */
export function BasicPage(props: { title: string; children: ComponentChildren }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Tessera`}</title>
      </head>
      <body>
        <main>{props.children}</main>
      </body>
    </html>
  );
}
