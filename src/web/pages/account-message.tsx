import type { ComponentChildren } from 'preact';
import { Layout } from '../layout.js';

/** A one-paragraph page outside the dashboard: a link followed, a request sent. */
export function AccountMessagePage(props: { title: string; children: ComponentChildren }) {
  return (
    <Layout title={props.title}>
      <div class="panel panel-narrow">
        <h1>{props.title}</h1>
        {props.children}
      </div>
    </Layout>
  );
}
