import { createHmac, randomBytes } from 'node:crypto';
import { randomPooled } from '../util/entropy.js';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): the secret is `whsec_` +
 * base64 of 32 random bytes; a signature is HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<body>`
 * under the decoded bytes, sent as `v1,<base64>`. During a secret's rotation grace period both
 * secrets sign, space-separated, and a verifier accepts either.
 */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function newMessageId(): string {
  return `msg_${randomPooled(16).toString('base64url')}`;
}

export function signature(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** The three headers of one attempt; `secrets` are the live ones, newest first. */
export function signedHeaders(secrets: string[], messageId: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((s) => signature(s, messageId, timestampSeconds, body)).join(' '),
  };
}
