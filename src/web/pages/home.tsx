import { PageHeader } from '../components.js';
import { AREAS, Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';

const BLURBS: Record<string, string> = {
  products: 'Your products, their sales and license keys: search, disable, rotate, reset uses, record a purchase.',
  'api-keys': 'Personal and team API keys for starting flows from scripts and other services.',
  flows: 'Automations: edit, run, read their history, and get their webhook URL.',
  applications: 'Settings → Advanced: applications and the access tokens of your own tools.',
  authorized: 'Third-party applications you allowed to act on your account; revoke them here.',
  audit: 'Everything that happened on your account, with filters.',
};

/** The logged-in home: one card per area of the dashboard. */
export function HomePage(props: { viewer: Viewer }) {
  return (
    <Layout title="Overview" viewer={props.viewer} active="home">
      <PageHeader title="Overview">
        <p class="muted">Signed in as {props.viewer.user.email}.</p>
      </PageHeader>
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
