import { Layout } from '../layout.js';

export interface PublicProductProps {
  name: string;
  description: string;
  price: string;
  sellerName: string | null;
}

/** A product's public page (/l/:permalink): what a buyer following short_url sees. Escaped by the renderer. */
export function PublicProductPage(props: PublicProductProps) {
  return (
    <Layout title={props.name}>
      <article class="panel panel-narrow basic-page product-page">
        <h1>{props.name}</h1>
        <p class="product-price">{props.price}</p>
        {props.sellerName ? <p class="muted">by {props.sellerName}</p> : null}
        {props.description ? <div class="product-description">{props.description.split(/\n{2,}/).map((para) => <p>{para}</p>)}</div> : null}
      </article>
    </Layout>
  );
}
