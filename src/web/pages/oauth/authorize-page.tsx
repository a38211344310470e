import { ConsentDetails, DecisionForm, type ConsentApplication } from './consent.js';
import { HiddenFields, OAuthPage } from './oauth-page.js';

/** GET /oauth/authorize for a logged-in user: Authorize or Deny, both POST with every parameter. */
export function AuthorizePage(props: { app: ConsentApplication; scopes: string[]; userEmail: string; params: Record<string, string>; csrf: string }) {
  return (
    <OAuthPage title={`Authorize ${props.app.name}`}>
      <ConsentDetails app={props.app} scopes={props.scopes} userEmail={props.userEmail}>
        <DecisionForm action="/oauth/authorize" csrf={props.csrf}>
          <HiddenFields values={props.params} />
        </DecisionForm>
      </ConsentDetails>
    </OAuthPage>
  );
}
