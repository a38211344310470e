import type { ComponentChildren } from 'preact';
import { PageHeader } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';
import type { SaleLine } from '../services/licenses.js';
import { LicenseNotice, type LicenseDone } from './license-notice.js';
import { SalesTable } from './sales-table.js';

export interface SalesPageProps {
  viewer: Viewer;
  lines: SaleLine[];
  nextPageHref: string | null;
  returnTo: string;
  done?: LicenseDone | null;
  /** The sales-per-day chart. */
  chart?: ComponentChildren;
}

/** /sales: every sale of every product, newest first, as Gumroad's Sales page lists them. */
export function SalesPage(props: SalesPageProps) {
  return (
    <Layout title="Sales" viewer={props.viewer} active="sales">
      <PageHeader title="Sales">
        <p class="muted">Every sale of every product, newest first. Record a sale by hand on its product’s page.</p>
      </PageHeader>
      <LicenseNotice done={props.done} />
      {props.chart && <section class="panel">{props.chart}</section>}
      <section class="panel" aria-labelledby="sales-heading">
        <h2 id="sales-heading">Recent sales</h2>
        {props.lines.length === 0 ? (
          <p class="muted">
            No sales yet. Open a <a href="/products">product</a> and record a purchase to try the license tools.
          </p>
        ) : (
          <SalesTable lines={props.lines} csrf={props.viewer.csrf} returnTo={() => props.returnTo} showProduct />
        )}
        {props.nextPageHref && (
          <p>
            <a class="button button-secondary" href={props.nextPageHref}>
              Older sales
            </a>
          </p>
        )}
      </section>
    </Layout>
  );
}
