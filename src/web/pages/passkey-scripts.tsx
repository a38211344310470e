/** The browser side of passkeys: @simplewebauthn/browser (served from the package) and our glue. */
export function PasskeyScripts() {
  return (
    <>
      <script src="/static/simplewebauthn-browser.js" defer />
      <script src="/static/passkeys.js" defer />
    </>
  );
}
