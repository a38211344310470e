import { PageHeader, PostForm } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';

export interface SeatsView {
  license_id: string;
  activation_limit: number | null;
  activation_limit_source: string;
  activation_usage: number;
  activations: { id: string; name: string; fingerprint: string | null; ip_country: string | null; created_at: string; last_seen_at: string }[];
}

const base = (licenseId: string) => `/licenses/${encodeURIComponent(licenseId)}/activations`;

/** A license's seats: its instances, each with a "Free this seat" that asks first. */
export function LicenseActivationsPage(props: { viewer: Viewer; seats: SeatsView; freed?: boolean }) {
  const { seats } = props;
  const limit = seats.activation_limit === null ? 'unlimited' : String(seats.activation_limit);
  return (
    <Layout title="Seats" viewer={props.viewer} active="licenses">
      <PageHeader title={`Seats of license ${seats.license_id}`} back={{ href: '/licenses', label: 'Find a license' }} />
      {props.freed && (
        <p class="alert alert-success" role="status">
          The seat was freed.
        </p>
      )}
      <section class="panel" aria-label="Seats">
        <p role="status">
          {seats.activation_usage} of {limit} seat{seats.activation_limit === 1 ? '' : 's'} in use
          {seats.activation_limit_source === 'license' ? ' (this license’s own limit)' : seats.activation_limit_source === 'product' ? ' (the product’s limit)' : ''}.
        </p>
        {seats.activations.length === 0 ? (
          <p class="muted">No instance is activated.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Fingerprint</th>
                <th scope="col">Country</th>
                <th scope="col">Activated</th>
                <th scope="col">Last seen</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {seats.activations.map((a) => (
                <tr key={a.id}>
                  <td data-label="Name">{a.name}</td>
                  <td data-label="Fingerprint">{a.fingerprint ?? '—'}</td>
                  <td data-label="Country">{a.ip_country ?? '—'}</td>
                  <td data-label="Activated">{a.created_at}</td>
                  <td data-label="Last seen">{a.last_seen_at}</td>
                  <td data-label="Action">
                    <a class="button button-secondary button-small" href={`${base(seats.license_id)}/${a.id}/free`}>
                      Free this seat…
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}

/** The confirmation before freeing a seat. */
export function FreeSeatPage(props: { viewer: Viewer; licenseId: string; instance: { id: string; name: string } }) {
  const back = base(props.licenseId);
  return (
    <Layout title="Free a seat" viewer={props.viewer} active="licenses">
      <PageHeader title={`Free the seat of “${props.instance.name}”?`} back={{ href: back, label: 'Seats' }} />
      <div class="panel">
        <p class="alert alert-warning" id="free-consequence">
          The application on “{props.instance.name}” stops validating; activating it again takes a seat.
        </p>
        <div class="actions">
          <PostForm action={`${back}/${props.instance.id}/free`} csrf={props.viewer.csrf} label="Confirm freeing the seat">
            <button type="submit" class="button button-danger" aria-describedby="free-consequence">
              Free the seat
            </button>
          </PostForm>
          <a class="button button-secondary" href={back}>
            Cancel
          </a>
        </div>
      </div>
    </Layout>
  );
}
