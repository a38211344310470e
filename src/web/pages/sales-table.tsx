import { Csrf, DataTable, Time } from '../components.js';
import { licenseConsequence } from '../services/consequences.js';
import type { SaleLine } from '../services/licenses.js';

export const GRACE_CHOICES = [
  { value: '0', label: 'Old key stops now' },
  { value: '3600', label: 'Old key works 1 more hour' },
  { value: '86400', label: 'Old key works 1 more day' },
  { value: '604800', label: 'Old key works 7 more days' },
];

/** Enough of a key to recognise it, never enough to use it. */
export function maskKey(key: string): string {
  return `${key.slice(0, Math.min(4, Math.floor(key.length / 4)))}${'•'.repeat(8)}`;
}

function LicenseKey(props: { id: string; licenseKey: string }) {
  const box = `key-${props.id}`;
  return (
    <span class="license-key">
      <span id={box}>
        <code class="masked" aria-label="License key, hidden">
          {maskKey(props.licenseKey)}
        </code>
        <code class="revealed" id={`${box}-text`} hidden>
          {props.licenseKey}
        </code>
      </span>{' '}
      <button type="button" class="button button-secondary button-small" data-reveal={box} aria-expanded="false" aria-controls={box}>
        Reveal
      </button>{' '}
      <button type="button" class="button button-secondary button-small" data-copy={`${box}-text`}>
        Copy
      </button>
    </span>
  );
}

function LicenseActions(props: { line: SaleLine; csrf: string; returnTo: string }) {
  const license = props.line.license!;
  const summary = { maskedKey: maskKey(license.key), email: props.line.sale.email, productName: String(props.line.sale.product_name ?? ''), uses: license.uses };
  const action = (verb: string) => `/licenses/${encodeURIComponent(license.id)}/${verb}`;
  const hidden = (
    <>
      <Csrf token={props.csrf} />
      <input type="hidden" name="return_to" value={props.returnTo} />
    </>
  );
  return (
    <div class="actions license-actions">
      <a class="button button-secondary button-small" href={`/licenses/${encodeURIComponent(license.id)}/activations`}>
        Seats
      </a>
      <form method="post" action={action(license.disabled ? 'enable' : 'disable')} aria-label={license.disabled ? 'Enable license' : 'Disable license'}>
        {hidden}
        <button type="submit" class="button button-secondary button-small" data-confirm={license.disabled ? undefined : licenseConsequence('disable', summary, 0)}>
          {license.disabled ? 'Enable' : 'Disable'}
        </button>
      </form>
      <form method="post" action={action('decrement')} aria-label="Decrement uses">
        {hidden}
        <button type="submit" class="button button-secondary button-small" disabled={license.uses === 0}>
          Uses −1
        </button>
      </form>
      <form method="post" action={action('reset')} aria-label="Reset uses to 0">
        {hidden}
        <button type="submit" class="button button-secondary button-small" disabled={license.uses === 0} data-confirm={licenseConsequence('reset', summary, 0)}>
          Reset uses
        </button>
      </form>
      <form method="post" action={action('rotate')} class="rotate-form" aria-label="Rotate license key">
        {hidden}
        <label for={`grace-${license.id}`} class="visually-hidden">
          Grace period for the old key
        </label>
        <select id={`grace-${license.id}`} name="grace_period">
          {GRACE_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
        <button type="submit" class="button button-small" data-confirm={licenseConsequence('rotate', summary, null)}>
          Rotate key
        </button>
      </form>
    </div>
  );
}

/** Sales with their licenses: masked keys with reveal, uses, state and support actions. */
export function SalesTable(props: { lines: SaleLine[]; csrf: string; returnTo: (line: SaleLine) => string; showProduct?: boolean }) {
  return (
    <DataTable
      label="Sales"
      columns={['Date', 'Buyer', ...(props.showProduct ? ['Product'] : []), 'Price', 'License key', 'Uses', 'State', 'Actions']}
    >
      {props.lines.map((line) => (
        <tr key={line.sale.id} data-sale={line.sale.id}>
          <td data-label="Date">
            <Time at={String(line.sale.created_at)} />
          </td>
          <td class="wrap" data-label="Buyer">
            {line.sale.email}
            {line.sale.full_name ? <div class="muted">{String(line.sale.full_name)}</div> : null}
          </td>
          {props.showProduct && (
            <td data-label="Product">
              <a href={`/products/${encodeURIComponent(String(line.sale.product_id))}`}>{String(line.sale.product_name)}</a>
            </td>
          )}
          <td data-label="Price">{String(line.sale.formatted_total_price ?? '')}</td>
          <td data-label="License key">{line.license ? <LicenseKey id={line.license.id} licenseKey={line.license.key} /> : <span class="muted">no license</span>}</td>
          <td data-label="Uses">{line.license ? line.license.uses : '—'}</td>
          <td data-label="State">
            {line.license ? (
              <>
                {line.license.disabled ? <span class="badge badge-bad">disabled</span> : <span class="badge badge-ok">enabled</span>}
                {line.license.graceEndsAt !== null && (
                  <div class="hint">
                    old key valid until <Time at={line.license.graceEndsAt} />
                  </div>
                )}
              </>
            ) : (
              '—'
            )}
            {line.sale.refunded === true && <span class="badge badge-warn">refunded</span>}
          </td>
          <td data-label="Actions">{line.license ? <LicenseActions line={line} csrf={props.csrf} returnTo={props.returnTo(line)} /> : null}</td>
        </tr>
      ))}
    </DataTable>
  );
}
