import { ConsentDetails, DecisionForm, type ConsentApplication } from './consent.js';
import { OAuthPage } from './oauth-page.js';

/** /device: the code shown on the device, typed by the user. */
export function DeviceCodePage(props: { error?: string; userCode?: string }) {
  return (
    <OAuthPage title="Connect a device">
      <h1>Connect a device</h1>
      <p>Enter the code shown on your device or in your terminal.</p>
      {props.error ? <p role="alert">{props.error}</p> : null}
      <form method="get" action="/device">
        <label>
          Code <input name="user_code" autocomplete="off" autocapitalize="characters" required value={props.userCode ?? ''} />
        </label>
        <button type="submit">Continue</button>
      </form>
    </OAuthPage>
  );
}

/** /device?user_code=…: the device's application and scopes, Approve or Deny. */
export function DeviceConsentPage(props: { app: ConsentApplication; scopes: string[]; userEmail: string; userCode: string; csrf: string }) {
  return (
    <OAuthPage title={`Authorize ${props.app.name}`}>
      <ConsentDetails app={props.app} scopes={props.scopes} userEmail={props.userEmail}>
        <p>Only continue if your device shows the code {props.userCode}.</p>
        <DecisionForm action="/device" csrf={props.csrf}>
          <input type="hidden" name="user_code" value={props.userCode} />
        </DecisionForm>
      </ConsentDetails>
    </OAuthPage>
  );
}

export function DeviceDonePage(props: { approved: boolean }) {
  return (
    <OAuthPage title={props.approved ? 'Device connected' : 'Access denied'}>
      <h1>{props.approved ? 'Device connected' : 'Access denied'}</h1>
      <p>{props.approved ? 'You can return to your device: it is now connected.' : 'The device was not given access. You can close this window.'}</p>
    </OAuthPage>
  );
}
