import { Layout } from '../layout.js';

export interface ProfileProduct {
  name: string;
  price: string;
  /** The product's public page (/l/:permalink). */
  href: string;
  coverSrc: string | null;
}

export interface PublicProfileProps {
  sellerName: string | null;
  bio: string | null;
  products: ProfileProduct[];
}

/** A seller's public profile (/u/:user_id, Gumroad's user.url): name, bio, products on sale. Escaped by the renderer. */
export function PublicProfilePage(props: PublicProfileProps) {
  const title = props.sellerName ?? 'Seller';
  return (
    <Layout title={title}>
      <article class="panel panel-narrow basic-page profile-page">
        <h1>{title}</h1>
        {props.bio ? <p class="profile-bio">{props.bio}</p> : null}
        <h2>Products</h2>
        {props.products.length === 0 ? (
          <p class="muted">Nothing on sale yet.</p>
        ) : (
          <ul class="profile-products">
            {props.products.map((p) => (
              <li>
                <a href={p.href}>
                  {p.coverSrc ? <img class="product-thumb" src={p.coverSrc} alt="" /> : null}
                  <span class="profile-product-name">{p.name}</span>
                </a>{' '}
                <span class="product-price">{p.price}</span>
              </li>
            ))}
          </ul>
        )}
      </article>
    </Layout>
  );
}
