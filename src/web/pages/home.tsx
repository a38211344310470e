import { PageHeader } from '../components.js';
import { AREAS, Layout, SETTINGS_SECTIONS } from '../layout.js';
import type { Viewer } from '../page-auth.js';

const BLURBS: Record<string, string> = {
  products: 'Create and edit products: price, license keys, variants, offer codes; publish when ready.',
  sales: 'Every sale, newest first, with sales per day and the license each one carries.',
  licenses: 'Find a license by key or buyer email: disable, rotate, reset its uses, free a seat.',
  flows: 'Automations: edit, run, read their history, and copy their webhook snippet.',
  webhooks: 'Tessera POSTs your sales, refunds and license events to your URL, signed.',
  teams: 'Share flows and API keys: invite people by email, give them a role.',
  audit: 'Everything that happened on your account, in words, with filters.',
  settings: 'Applications and access tokens (Advanced), API keys, authorized applications.',
};

/** The first steps of a new seller, each a link to where it happens (the README walks the same). */
const FIRST_STEPS = [
  { href: '/settings/advanced', text: 'Settings → Advanced: create an application and generate its access token for the API v2.' },
  { href: '/products', text: 'Products: create a product with license keys on, then publish it.' },
  { href: '/licenses', text: 'Licenses: record a test purchase on the product page, then find its key here.' },
  { href: '/webhooks', text: 'Webhooks: have each sale POSTed to your URL; copy the signing secret shown once.' },
  { href: '/flows', text: 'Flows: create a flow, open its Webhook panel and copy a ready snippet.' },
];

/** The logged-in home: the first steps, then one card per area of the dashboard. */
export function HomePage(props: { viewer: Viewer }) {
  return (
    <Layout title="Overview" viewer={props.viewer} active="home">
      <PageHeader title="Overview">
        <p class="muted">Signed in as {props.viewer.user.email}.</p>
      </PageHeader>
      <section class="panel" aria-labelledby="first-steps">
        <h2 id="first-steps">First steps</h2>
        <ol class="steps">
          {FIRST_STEPS.map((s) => (
            <li key={s.href}>
              <a href={s.href}>{s.text}</a>
            </li>
          ))}
        </ol>
      </section>
      <div class="grid">
        {AREAS.filter((a) => a.id !== 'home').map((area) => (
          <a class="card" href={area.href} key={area.id}>
            <strong>{area.label}</strong>
            <span>{BLURBS[area.id]}</span>
          </a>
        ))}
      </div>
    </Layout>
  );
}

/** /settings: each section under Settings, with what it holds. */
export function SettingsPage(props: { viewer: Viewer }) {
  return (
    <Layout title="Settings" viewer={props.viewer} active="settings">
      <PageHeader title="Settings">
        <p class="muted">Credentials and what may act on your account.</p>
      </PageHeader>
      <div class="grid">
        {SETTINGS_SECTIONS.map((s) => (
          <a class="card" href={s.href} key={s.id}>
            <strong>{s.label}</strong>
            <span>{s.blurb}</span>
          </a>
        ))}
      </div>
    </Layout>
  );
}
