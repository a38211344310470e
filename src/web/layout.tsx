import type { ComponentChildren } from 'preact';
import { CSRF_FIELD } from './csrf.js';
import type { Viewer } from './page-auth.js';

/** Areas of the dashboard, in the order of the main navigation. */
export const AREAS = [
  { id: 'home', href: '/', label: 'Overview' },
  { id: 'products', href: '/products', label: 'Products' },
  { id: 'api-keys', href: '/api-keys', label: 'API keys' },
  { id: 'teams', href: '/teams', label: 'Teams' },
  { id: 'flows', href: '/flows', label: 'Flows' },
  { id: 'applications', href: '/settings/advanced', label: 'Applications' },
  { id: 'authorized', href: '/settings/authorized-applications', label: 'Authorized apps' },
  { id: 'audit', href: '/audit', label: 'Audit log' },
  { id: 'webhooks', href: '/webhooks', label: 'Webhooks' },
] as const;

export type AreaId = (typeof AREAS)[number]['id'];

export interface LayoutProps {
  title: string;
  /** The logged-in visitor: shows the navigation and the log-out button. */
  viewer?: Viewer | null;
  active?: AreaId;
  /** Reload the page every so many seconds (a run still going). */
  refreshSeconds?: number;
  children: ComponentChildren;
}

/** The one look of every server-rendered page: dashboard, login and the OAuth pages alike. */
export function Layout(props: LayoutProps) {
  const { viewer } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Tessera`}</title>
        {props.refreshSeconds !== undefined && <meta http-equiv="refresh" content={String(props.refreshSeconds)} />}
        <link rel="stylesheet" href="/static/app.css" />
        <script src="/static/app.js" defer />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="topbar">
          <a class="brand" href="/">
            <span class="brand-mark" aria-hidden="true">◆</span> Tessera
          </a>
          {viewer && (
            <div class="account">
              <span class="account-email">{viewer.user.email}</span>
              <form method="post" action="/logout">
                <input type="hidden" name={CSRF_FIELD} value={viewer.csrf} />
                <button type="submit" class="link-button">
                  Log out
                </button>
              </form>
            </div>
          )}
        </header>
        {viewer && (
          <nav class="mainnav" aria-label="Main">
            <ul>
              {AREAS.map((area) => (
                <li key={area.id}>
                  <a href={area.href} aria-current={props.active === area.id ? 'page' : undefined}>
                    {area.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <main id="main" tabIndex={-1}>
          {props.children}
        </main>
      </body>
    </html>
  );
}
