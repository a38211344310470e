import type { TotpSetup } from '../../accounts/totp.js';
import { ErrorBox, Field, PageHeader, PostForm } from '../components.js';
import { Layout } from '../layout.js';
import type { Viewer } from '../page-auth.js';

/** The QR code (an SVG rendered on the server, shown as an image), the secret to type, and the first code. */
export function TotpSetupPage(props: { viewer: Viewer; setup: TotpSetup; error?: string | null }) {
  const src = `data:image/svg+xml;base64,${Buffer.from(props.setup.qrSvg).toString('base64')}`;
  return (
    <Layout title="Set up an authenticator app" viewer={props.viewer} active="security">
      <PageHeader title="Set up an authenticator app" back={{ href: '/settings/security', label: 'Security' }} />
      <div class="panel panel-narrow">
        <ol>
          <li>Scan this QR code with your authenticator app.</li>
          <li>Or type the key instead: it is a time-based (TOTP) key, 6 digits, every 30 seconds.</li>
          <li>Enter the 6-digit code the app shows.</li>
        </ol>
        <p>
          <img src={src} width={220} height={220} alt="QR code of the authenticator key (the same key is written below)" class="qr-code" />
        </p>
        <p>
          Key: <code id="totp-secret">{props.setup.secret}</code>
        </p>
        <ErrorBox error={props.error} />
        <PostForm action="/settings/security/totp/confirm" csrf={props.viewer.csrf} label="Confirm the authenticator app">
          <Field label="Code from the app" name="code" autocomplete="one-time-code" inputmode="numeric" required />
          <button type="submit" class="button">
            Turn on
          </button>
        </PostForm>
      </div>
    </Layout>
  );
}
