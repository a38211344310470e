import { Type } from 'typebox';
import { newId } from '../../util/ids.js';
import { insertEmail } from '../outbox-store.js';
import { sealMail } from '../sealed-outputs.js';
import { StepError, type StepType } from './step.js';

const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

/**
 * Queues an email in the outbox (table `email_outbox`); the worker delivers it over SMTP when
 * SMTP_URL is set. One recipient per step.
 */
export const sendEmailStep: StepType = {
  type: 'send_email',
  summary: 'Queue an email (delivered over SMTP when SMTP_URL is set); output {email_id}',
  params: Type.Object({
    to: Type.String({ minLength: 3, maxLength: 254 }),
    subject: Type.String({ minLength: 1, maxLength: 300 }),
    text: Type.String({ maxLength: 100_000 }),
  }),
  async run(params: { to: string; subject: string; text: string }, { ctx, run, secrets }) {
    const to = params.to.trim();
    if (!EMAIL.test(to)) throw new StepError(`"${to.slice(0, 100)}" is not an email address`);
    if (/[\r\n]/.test(params.subject)) throw new StepError('the subject must be one line');
    const id = newId();
    // A rotated key mailed to the buyer is not kept in plain text while the email waits (sealed-outputs.ts).
    const { subject, body } = sealMail(ctx.keys, { subject: params.subject, text: params.text }, secrets);
    await insertEmail(ctx.db, { id, run_id: run.id, user_id: run.userId, to_address: to, subject, body, created_at: Date.now(), sent_at: null, attempts: 0, next_attempt_at: Date.now(), last_error: null });
    return { output: { email_id: id, to }, summary: `email to ${to} queued` };
  },
};
