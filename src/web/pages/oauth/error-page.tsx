import { OAuthPage } from './oauth-page.js';

/** An error that cannot go back to the application (unknown client, bad redirect URI): no redirect. */
export function OAuthErrorPage(props: { title: string; message: string }) {
  return (
    <OAuthPage title={props.title}>
      <h1>{props.title}</h1>
      <p role="alert">{props.message}</p>
      <p>You can close this window. If the problem persists, contact the developer of the application that sent you here.</p>
    </OAuthPage>
  );
}
