import type { ComponentChildren } from 'preact';
import { CSRF_FIELD } from '../http/csrf.js';
import type { Viewer } from './page-auth.js';

/**
 * Areas of the dashboard, in the order of the main navigation: the words a Gumroad seller and a
 * Gumloop user look for (Products, Sales, Licenses, Flows, … Settings).
 */
export const AREAS = [
  { id: 'home', href: '/', label: 'Overview' },
  { id: 'products', href: '/products', label: 'Products' },
  { id: 'sales', href: '/sales', label: 'Sales' },
  { id: 'licenses', href: '/licenses', label: 'Licenses' },
  { id: 'flows', href: '/flows', label: 'Flows' },
  { id: 'webhooks', href: '/webhooks', label: 'Webhooks' },
  { id: 'teams', href: '/teams', label: 'Teams' },
  { id: 'audit', href: '/audit', label: 'Audit' },
  { id: 'settings', href: '/settings', label: 'Settings' },
] as const;

/**
 * The sections under Settings, in the order of its sub-navigation and of the /settings page. A
 * new settings page adds one entry here (its id is then a valid `active` of its Layout).
 */
export const SETTINGS_SECTIONS = [
  { id: 'applications', href: '/settings/advanced', label: 'Advanced', blurb: 'Applications: the access tokens of your own tools for the API v2 (Gumroad’s Settings → Advanced).' },
  { id: 'api-keys', href: '/api-keys', label: 'API keys', blurb: 'Credentials: personal and team API keys that start your flows (Gumloop’s Credentials page).' },
  { id: 'authorized', href: '/settings/authorized-applications', label: 'Authorized applications', blurb: 'Third-party applications you allowed to act on your account; revoke them here.' },
  { id: 'security', href: '/settings/security', label: 'Security', blurb: 'Password, two-factor authentication (authenticator app, passkeys, recovery codes) and signed-in sessions.' },
] as const;

/** Where the API reference lives (the OpenAPI document rendered by Swagger UI). */
export const API_REFERENCE_HREF = '/docs';

/** `admin`: the instance owner's pages (src/web/routes/admin.ts), linked for owners only. */
export type AreaId = (typeof AREAS)[number]['id'] | (typeof SETTINGS_SECTIONS)[number]['id'] | 'admin';

const isSettings = (active: AreaId | undefined) => active === 'settings' || SETTINGS_SECTIONS.some((s) => s.id === active);

export interface LayoutProps {
  title: string;
  /** The logged-in visitor: shows the navigation and the log-out button. */
  viewer?: Viewer | null;
  active?: AreaId;
  /** Reload the page every so many seconds (a run still going). */
  refreshSeconds?: number;
  children: ComponentChildren;
}

function MainNav(props: { active?: AreaId; owner?: boolean }) {
  const current = (id: string) => props.active === id || (id === 'settings' && isSettings(props.active));
  return (
    <nav class="mainnav" aria-label="Main" data-scroll-nav>
      <ul>
        {AREAS.map((area) => (
          <li key={area.id}>
            <a href={area.href} aria-current={current(area.id) ? 'page' : undefined}>
              {area.label}
            </a>
          </li>
        ))}
        {props.owner && (
          <li>
            <a href="/admin" aria-current={props.active === 'admin' ? 'page' : undefined}>
              Admin
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}

/** The second row on every settings page: Settings → Advanced, API keys, … */
function SettingsNav(props: { active?: AreaId }) {
  return (
    <nav class="subnav" aria-label="Settings" data-scroll-nav>
      <ul>
        {SETTINGS_SECTIONS.map((s) => (
          <li key={s.id}>
            <a href={s.href} aria-current={props.active === s.id ? 'page' : undefined}>
              {s.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
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
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
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
          <div class="account">
            <a class="topbar-link" href={API_REFERENCE_HREF}>
              API reference
            </a>
            {viewer && <span class="account-email">{viewer.user.email}</span>}
            {viewer && (
              <form method="post" action="/logout">
                <input type="hidden" name={CSRF_FIELD} value={viewer.csrf} />
                <button type="submit" class="link-button">
                  Log out
                </button>
              </form>
            )}
          </div>
        </header>
        {viewer && <MainNav active={props.active} owner={viewer.user.isOwner} />}
        {viewer && isSettings(props.active) && <SettingsNav active={props.active} />}
        <main id="main" tabIndex={-1}>
          {props.children}
        </main>
        <footer class="footer">
          <a href={API_REFERENCE_HREF}>API reference</a> · <a href="/openapi.json">OpenAPI document</a>
        </footer>
      </body>
    </html>
  );
}
