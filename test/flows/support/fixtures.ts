import assert from 'node:assert/strict';
import type { Client } from '../../support/client.js';

export interface Seller {
  client: Client;
  user: { id: string; email: string };
  password: string;
}

/** The caller's `user_id` for the flows API. */
export async function apiUserId(client: Client): Promise<string> {
  const res = await client.get('/api/api-keys/settings');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.api_user_id as string;
}

export async function createKey(client: Client, body: Record<string, unknown> = {}) {
  const res = await client.post('/api/api-keys', { json: { name: 'script', ...body } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { api_key: string; key: { id: string; hint: string; kind: string; recoverable: boolean } };
}

export async function createTeam(client: Client, name = 'Ops') {
  const res = await client.post('/api/teams', { json: { name } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.team as { id: string; name: string };
}

/** Invites `invitee` to the team and accepts the invitation with the invitee's own session. */
export async function addMember(client: Client, teamId: string, invitee: { client: Client; user: { email: string } }, role = 'member') {
  const res = await client.post(`/api/teams/${teamId}/members`, { json: { email: invitee.user.email, role } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const accepted = await invitee.client.post(`/api/invitations/${res.body.invitation.id}/accept`);
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  return res.body.invitation as { id: string; email: string; role: string };
}

export async function createFlow(client: Client, definition: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const res = await client.post('/api/flows', { json: { definition, ...extra } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.flow as { id: string; workbook_id: string };
}

/** A one-step flow that queues an email to `{{ inputs.to }}`. */
export const EMAIL_FLOW = {
  name: 'Notify',
  inputs: [{ name: 'to', required: true }, { name: 'note', default: 'hello' }],
  steps: [{ id: 'mail', type: 'send_email', to: '{{ inputs.to }}', subject: 'Run {{ run.id }}', text: '{{ inputs.note }}' }],
  outputs: { email_id: '{{ steps.mail.email_id }}', to: '{{ steps.mail.to }}' },
};

/** mail → a pause of `pauseMs` (long enough to kill a node or a run in) → mail. */
export function slowFlow(pauseMs: number) {
  return {
    name: 'Slow',
    inputs: [{ name: 'to', required: true }],
    steps: [
      { id: 'first', type: 'send_email', to: '{{ inputs.to }}', subject: 'first', text: 'one' },
      { id: 'pause', type: 'delay', ms: pauseMs },
      { id: 'second', type: 'send_email', to: '{{ inputs.to }}', subject: 'second', text: 'two' },
    ],
  };
}

/** Polls get_pl_run until the run reaches one of `states` (terminal ones by default). */
export async function waitForRun(
  client: Client,
  auth: { key: string; userId: string; projectId?: string },
  runId: string,
  states = ['DONE', 'FAILED', 'TERMINATED'],
) {
  for (let i = 0; i < 600; i++) {
    const query: Record<string, string> = { run_id: runId, user_id: auth.userId };
    if (auth.projectId) query.project_id = auth.projectId;
    const res = await client.get('/api/v1/get_pl_run', { query, headers: { authorization: `Bearer ${auth.key}` } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    if (states.includes(res.body.state)) return res.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`run ${runId} never reached ${states.join('/')}`);
}
