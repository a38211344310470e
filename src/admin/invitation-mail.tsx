import { render } from 'preact-render-to-string';

/** The invitation email: a plain-text part and an HTML part from the same words (Preact escapes every value). */
export function invitationMail(input: { inviter: string; server: string; link: string; expires: string }) {
  const subject = 'Your invitation to Tessera';
  const text = [
    `${input.inviter} invited you to create an account on the Tessera server at ${input.server}.`,
    '',
    'Sign up through this link (it works once):',
    input.link,
    '',
    `It expires on ${input.expires}.`,
    'If you did not expect this email, ignore it.',
  ].join('\n');
  const html =
    '<!doctype html>' +
    render(
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>{subject}</title>
        </head>
        <body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1d2330; max-width: 36rem; margin: 0 auto; padding: 1rem;">
          <p>
            {input.inviter} invited you to create an account on the Tessera server at {input.server}.
          </p>
          <p>
            <a href={input.link} style="display: inline-block; padding: 0.5rem 1rem; background: #3451b2; color: #ffffff; border-radius: 0.375rem; text-decoration: none;">
              Create your account
            </a>
          </p>
          <p>The link works once and expires on {input.expires}. If you did not expect this email, ignore it.</p>
        </body>
      </html>,
    );
  return { subject, text, html };
}
