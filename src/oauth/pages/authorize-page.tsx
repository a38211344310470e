import { ConsentDetails, type ConsentApplication } from './consent.js';
import { HiddenFields, OAuthPage } from './oauth-page.js';

/** GET /oauth/authorize for a logged-in user: Authorize or Deny, both POST with every parameter. */
export function AuthorizePage(props: { app: ConsentApplication; scopes: string[]; userEmail: string; params: Record<string, string>; csrf: string }) {
  return (
    <OAuthPage title={`Authorize ${props.app.name}`}>
      <ConsentDetails app={props.app} scopes={props.scopes} userEmail={props.userEmail}>
        <form method="post" action="/oauth/authorize">
          <input type="hidden" name="csrf" value={props.csrf} />
          <HiddenFields values={props.params} />
          <button type="submit" name="decision" value="allow">
            Authorize
          </button>
          <button type="submit" name="decision" value="deny">
            Deny
          </button>
        </form>
      </ConsentDetails>
    </OAuthPage>
  );
}
