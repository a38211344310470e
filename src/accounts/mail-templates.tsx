import type { ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';

/**
 * Account emails, each with a plain-text part and an HTML part built from the same words (the
 * HTML through Preact, so every value is escaped). Links carry their secret in the query, which
 * the mail log masks.
 */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

function html(title: string, body: ComponentChildren): string {
  return (
    '<!doctype html>' +
    render(
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>{title}</title>
        </head>
        <body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1d2330; max-width: 36rem; margin: 0 auto; padding: 1rem;">
          {body}
          <p style="color: #5b6475; font-size: 0.875rem;">Sent by Tessera. You get this email because of your account on this server.</p>
        </body>
      </html>,
    )
  );
}

const button = (href: string, label: string) => (
  <p>
    <a href={href} style="display: inline-block; padding: 0.5rem 1rem; background: #3451b2; color: #ffffff; border-radius: 0.375rem; text-decoration: none;">
      {label}
    </a>
  </p>
);

export function passwordResetMail(input: { link: string; minutes: number; server: string }): MailContent {
  const subject = 'Reset your Tessera password';
  const text = [
    `Someone (hopefully you) asked to reset the password of your Tessera account on ${input.server}.`,
    '',
    `Choose a new password here (the link works once, for ${input.minutes} minutes):`,
    input.link,
    '',
    'If you did not ask for this, ignore this email: your password stays as it is.',
  ].join('\n');
  return {
    subject,
    text,
    html: html(
      subject,
      <>
        <p>Someone (hopefully you) asked to reset the password of your Tessera account on {input.server}.</p>
        {button(input.link, 'Choose a new password')}
        <p>The link works once, for {input.minutes} minutes. If you did not ask for this, ignore this email: your password stays as it is.</p>
      </>,
    ),
  };
}

export function verificationMail(input: { link: string; hours: number; server: string }): MailContent {
  const subject = 'Confirm your email address for Tessera';
  const text = [
    `Welcome to Tessera on ${input.server}.`,
    '',
    `Confirm that this is your email address (the link works for ${input.hours} hours):`,
    input.link,
    '',
    'If you did not create an account, ignore this email.',
  ].join('\n');
  return {
    subject,
    text,
    html: html(
      subject,
      <>
        <p>Welcome to Tessera on {input.server}.</p>
        {button(input.link, 'Confirm my email address')}
        <p>The link works for {input.hours} hours. If you did not create an account, ignore this email.</p>
      </>,
    ),
  };
}

export function newSignInMail(input: { device: string; ip: string; when: string; server: string; securityUrl: string }): MailContent {
  const subject = 'New sign-in to your Tessera account';
  const text = [
    `Your Tessera account on ${input.server} was just signed in to from a device it had not seen before:`,
    '',
    `  Device: ${input.device}`,
    `  Address: ${input.ip}`,
    `  Time: ${input.when}`,
    '',
    'If this was you, there is nothing to do.',
    `If it was not, change your password and sign out the sessions you do not know: ${input.securityUrl}`,
  ].join('\n');
  return {
    subject,
    text,
    html: html(
      subject,
      <>
        <p>Your Tessera account on {input.server} was just signed in to from a device it had not seen before:</p>
        <ul>
          <li>Device: {input.device}</li>
          <li>Address: {input.ip}</li>
          <li>Time: {input.when}</li>
        </ul>
        <p>If this was you, there is nothing to do. If it was not, change your password and sign out the sessions you do not know.</p>
        {button(input.securityUrl, 'Review my sessions')}
      </>,
    ),
  };
}

export function passwordChangedMail(input: { when: string; server: string; resetUrl: string }): MailContent {
  const subject = 'Your Tessera password was changed';
  const text = [
    `The password of your Tessera account on ${input.server} was changed (${input.when}), and every other session was signed out.`,
    '',
    `If you did not do this, reset your password now: ${input.resetUrl}`,
  ].join('\n');
  return {
    subject,
    text,
    html: html(
      subject,
      <>
        <p>
          The password of your Tessera account on {input.server} was changed ({input.when}), and every other session was signed out.
        </p>
        <p>If you did not do this, reset your password now.</p>
        {button(input.resetUrl, 'Reset my password')}
      </>,
    ),
  };
}
