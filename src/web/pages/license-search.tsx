import { Notice, PageHeader } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import type { SaleLine } from '../services/licenses.js';
import { LicenseNotice, type LicenseDone } from './license-notice.js';
import { LicenseSearchForm } from './products.js';
import { SalesTable } from './sales-table.js';

/** Licenses found by key or buyer email, with the same support actions as a product's sales. */
export function LicenseSearchPage(props: { viewer: Viewer; q: string; lines: SaleLine[]; done?: LicenseDone | null; alreadyShown?: boolean }) {
  return (
    <Layout title="Find a license" viewer={props.viewer} active="licenses">
      <PageHeader title="Find a license" back={{ href: '/products', label: 'Products' }} />
      <LicenseSearchForm csrf={props.viewer.csrf} q={props.q} />
      <LicenseNotice done={props.done} />
      {props.alreadyShown && <Notice kind="info">Already shown: search again to see those results (a license key never sits in a URL).</Notice>}
      {(props.q || props.lines.length > 0) &&
        (props.lines.length === 0 ? (
          <p class="panel muted" role="status">
            No sale of yours matches “{props.q}”.
          </p>
        ) : (
          <section class="panel" aria-label="Search results">
            <p role="status">
              {props.lines.length} sale{props.lines.length === 1 ? '' : 's'} found.
            </p>
            <SalesTable lines={props.lines} csrf={props.viewer.csrf} returnTo={(line) => `/licenses?sale=${encodeURIComponent(line.sale.id)}`} showProduct />
          </section>
        ))}
    </Layout>
  );
}
