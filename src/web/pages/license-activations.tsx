import type { ComponentChildren } from 'preact';
import { DataTable, ErrorBox, Field, Notice, PageHeader, PostForm, Time } from '../components.js';
import { DangerForm } from '../confirm.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import { freeSeatConsequence } from '../services/consequences.js';
import type { LicenseSummary } from '../services/licenses.js';

export interface SeatsView {
  license_id: string;
  activation_limit: number | null;
  activation_limit_source: string;
  activation_usage: number;
  activations: { id: string; name: string; fingerprint: string | null; ip_country: string | null; created_at: string; last_seen_at: string }[];
}

export const seatsPath = (licenseId: string) => `/licenses/${encodeURIComponent(licenseId)}/activations`;

export type SeatsDone = 'freed' | 'limit';

export interface LicenseActivationsProps {
  viewer: Viewer;
  seats: SeatsView;
  license: LicenseSummary;
  done?: SeatsDone | null;
  /** The seat-limit form sent back with a problem. */
  limitForm?: { value: string; error: string } | null;
  /** Verifications per day of this license (src/web/dashboard-charts.tsx). */
  charts?: ComponentChildren;
}

const SOURCE_WORDS: Record<string, string> = {
  license: ' (this license’s own limit)',
  product: ' (the product’s limit)',
};

/** A license's seats: its instances, each with a "Free this seat" that asks first, and its own seat limit. */
export function LicenseActivationsPage(props: LicenseActivationsProps) {
  const { seats, license, viewer } = props;
  const limit = seats.activation_limit === null ? 'unlimited' : String(seats.activation_limit);
  const own = seats.activation_limit_source === 'license' ? (seats.activation_limit === null ? 'unlimited' : String(seats.activation_limit)) : '';
  const base = seatsPath(seats.license_id);
  return (
    <Layout title="Seats" viewer={viewer} active="licenses">
      <PageHeader title={`Seats of ${license.email}’s license`} back={{ href: '/licenses', label: 'Find a license' }}>
        <p class="muted">
          {license.productName} · key <code>{license.maskedKey}</code> · license ID <code>{seats.license_id}</code>
        </p>
      </PageHeader>
      {props.done === 'freed' && <Notice>The seat was freed.</Notice>}
      {props.done === 'limit' && <Notice>Seat limit saved.</Notice>}
      {props.charts && (
        <section class="panel charts" aria-label="Charts">
          {props.charts}
        </section>
      )}
      <section class="panel" aria-labelledby="seats-heading">
        <h2 id="seats-heading">Activated instances</h2>
        <p id="seats-usage">
          {seats.activation_usage} of {limit} seat{seats.activation_limit === 1 ? '' : 's'} in use
          {SOURCE_WORDS[seats.activation_limit_source] ?? ''}.
        </p>
        {seats.activations.length === 0 ? (
          <p class="muted">No instance is activated.</p>
        ) : (
          <DataTable columns={['Name', 'Fingerprint', 'Country', 'Activated', 'Last seen', 'Action']}>
            {seats.activations.map((a) => (
              <tr key={a.id}>
                <td class="wrap" data-label="Name">
                  {a.name}
                </td>
                <td class="wrap" data-label="Fingerprint">
                  {a.fingerprint ?? '—'}
                </td>
                <td data-label="Country">{a.ip_country ?? '—'}</td>
                <td data-label="Activated">
                  <Time at={a.created_at} />
                </td>
                <td data-label="Last seen">
                  <Time at={a.last_seen_at} />
                </td>
                <td data-label="Action">
                  <DangerForm
                    action={`${base}/${encodeURIComponent(a.id)}/free`}
                    csrf={viewer.csrf}
                    label={`Free the seat of ${a.name}`}
                    button="Free this seat"
                    consequence={freeSeatConsequence(a.name, seats.activation_usage, seats.activation_limit)}
                  />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
      <section class="panel" aria-labelledby="limit-heading">
        <h2 id="limit-heading">Seat limit of this license</h2>
        <ErrorBox error={props.limitForm?.error} />
        <PostForm action={`${base}/limit`} csrf={viewer.csrf} label="Seat limit of this license" class="inline-row">
          <Field
            label="Seats for this license"
            name="activation_limit"
            value={props.limitForm?.value ?? own}
            placeholder="the product's limit"
            inputmode="numeric"
            hint="A number from 1 to 100000, or “unlimited”; empty follows the product. Instances above a lower limit stay until freed."
          />
          <button type="submit" class="button">
            Save limit
          </button>
        </PostForm>
      </section>
    </Layout>
  );
}
