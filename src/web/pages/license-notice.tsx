import { Notice } from '../components.js';

export type LicenseDone = 'enable' | 'disable' | 'decrement' | 'reset' | 'rotate';

const MESSAGES: Record<LicenseDone, string> = {
  enable: 'License enabled: its key verifies again.',
  disable: 'License disabled: its key no longer verifies.',
  decrement: 'One use taken off the license.',
  reset: 'Uses reset to 0.',
  rotate: 'License key rotated: the buyer needs the new key, shown below.',
};

export function isLicenseDone(value: unknown): value is LicenseDone {
  return typeof value === 'string' && value in MESSAGES;
}

/** What a support action just did, after the redirect back. */
export function LicenseNotice(props: { done?: LicenseDone | null }) {
  return props.done ? <Notice>{MESSAGES[props.done]}</Notice> : null;
}
