import type { ComponentChildren } from 'preact';
import { SCOPE_DESCRIPTIONS } from '../../../auth/scopes.js';

export interface ConsentApplication {
  name: string;
  iconUrl: string | null;
  owner: string;
}

/** The application asking (icon, name, owner) and what it may do, each scope in plain words. */
export function ConsentDetails(props: { app: ConsentApplication; scopes: string[]; userEmail: string; children: ComponentChildren }) {
  return (
    <section>
      {props.app.iconUrl ? <img src={props.app.iconUrl} alt="" width={64} height={64} /> : null}
      <h1>
        Authorize <strong>{props.app.name}</strong>?
      </h1>
      <p>
        {props.app.name} by {props.app.owner} wants to access your account {props.userEmail}. It will be able to:
      </p>
      <ul>
        {props.scopes.map((scope) => (
          <li data-scope={scope}>{SCOPE_DESCRIPTIONS[scope] ?? scope}</li>
        ))}
      </ul>
      {props.children}
      <p>You can revoke this access at any time in Settings → Authorized applications.</p>
    </section>
  );
}

/** The Authorize / Deny pair, posted with the CSRF token and the fields that name the request. */
export function DecisionForm(props: { action: string; csrf: string; children: ComponentChildren }) {
  return (
    <form method="post" action={props.action}>
      <input type="hidden" name="csrf" value={props.csrf} />
      {props.children}
      <button type="submit" name="decision" value="allow">
        Authorize
      </button>
      <button type="submit" name="decision" value="deny">
        Deny
      </button>
    </form>
  );
}
