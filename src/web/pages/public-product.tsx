import { Layout } from '../layout.js';

export interface PublicProductProps {
  name: string;
  description: string;
  price: string;
  sellerName: string | null;
  /** The seller's public profile (/u/:user_id). */
  sellerHref: string;
  /** The cover served by Tessera (/l/:permalink/cover?v=…), or null. */
  coverSrc: string | null;
}

/** A product's public page (/l/:permalink): what a buyer following short_url sees. Escaped by the renderer. */
export function PublicProductPage(props: PublicProductProps) {
  return (
    <Layout title={props.name}>
      <article class="panel panel-narrow basic-page product-page">
        {props.coverSrc ? <img class="product-cover" src={props.coverSrc} alt={`Cover of ${props.name}`} /> : null}
        <h1>{props.name}</h1>
        <p class="product-price">{props.price}</p>
        <p class="muted">
          by <a href={props.sellerHref}>{props.sellerName ?? 'this seller'}</a>
        </p>
        {props.description ? <div class="product-description">{props.description.split(/\n{2,}/).map((para) => <p>{para}</p>)}</div> : null}
      </article>
    </Layout>
  );
}
