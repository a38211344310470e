import { OAuthPage } from './oauth-page.js';

/** Login before consent (or before entering a device code); comes back to `next` afterwards. */
export function OAuthLoginPage(props: { heading: string; next: string; csrf: string; error?: string; email?: string }) {
  return (
    <OAuthPage title="Log in">
      <h1>{props.heading}</h1>
      <p>Log in to your Tessera account to continue.</p>
      {props.error ? <p role="alert">{props.error}</p> : null}
      <form method="post" action="/oauth/login">
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <label>
          Email <input type="email" name="email" autocomplete="username" required value={props.email ?? ''} />
        </label>
        <label>
          Password <input type="password" name="password" autocomplete="current-password" required />
        </label>
        <button type="submit">Log in</button>
      </form>
    </OAuthPage>
  );
}
