import { CLI_ACTOR, type AppContext } from '../context.js';
import { UsageError, type Command } from '../cli/command.js';
import { inviteAccount } from './invitations.js';
import { grantOwnership, requireAccountByEmail, revokeOwnership } from './owner.js';
import { disableAccount, enableAccount, listAccounts, setCapabilities } from './service.js';
import { CAPABILITY_NAMES } from './settings.js';
import { oldestOwnerId } from './store.js';

function oneEmail(positionals: string[], usage: string): string {
  if (positionals.length !== 1 || !positionals[0]) throw new UsageError(`Give one email: ${usage}`);
  return positionals[0];
}

/** The CLI invites in the name of the oldest owner (an invitation always has an inviter). */
async function oldestOwner(ctx: AppContext): Promise<string> {
  const owner = await oldestOwnerId(ctx.db);
  if (!owner) throw new Error('No account exists yet: create the first one with tessera user create (it becomes the instance owner).');
  return owner;
}

const show = (value: unknown) => (value === null ? 'unlimited' : value === true ? 'yes' : value === false ? 'no' : String(value));

/** `tessera admin …`: the instance owner's levers, for the operator at the server's shell. */
export const adminCommands: Command[] = [
  {
    name: 'admin grant',
    summary: 'Make an account an instance owner (admin pages)',
    positionals: 'EMAIL',
    options: {},
    run: (ctx, _o, p) => grantOwnership(ctx, oneEmail(p, 'tessera admin grant EMAIL'), CLI_ACTOR),
    describe: (r) => `${r.email} is an instance owner`,
  },
  {
    name: 'admin revoke',
    summary: "Take an account's ownership away (the last owner keeps it)",
    positionals: 'EMAIL',
    options: {},
    run: (ctx, _o, p) => revokeOwnership(ctx, oneEmail(p, 'tessera admin revoke EMAIL'), CLI_ACTOR),
    describe: (r) => `${r.email} is no longer an instance owner`,
  },
  {
    name: 'admin invite',
    summary: 'Invite an email to sign up; prints the single-use link',
    positionals: 'EMAIL',
    options: {},
    async run(ctx, _o, p) {
      const email = oneEmail(p, 'tessera admin invite EMAIL');
      return inviteAccount(ctx, { email, invitedBy: await oldestOwner(ctx) }, CLI_ACTOR);
    },
    describe: (r) =>
      `Invited ${r.invitation.email} (expires ${r.invitation.expires_at}); ${r.mailed ? 'emailed' : r.mail_problem}\nLink (works once): ${r.link}`,
  },
  {
    name: 'admin set',
    summary: `Set capabilities: ${CAPABILITY_NAMES.join(', ')} (=yes/no/N/unlimited/default)`,
    positionals: 'EMAIL NAME=VALUE...',
    options: {},
    async run(ctx, _o, p) {
      const [email, ...assignments] = p;
      if (!email || assignments.length === 0) throw new UsageError('Give an email and at least one NAME=VALUE: tessera admin set EMAIL max_api_keys=2 http_step=no');
      const pairs: Record<string, string> = {};
      for (const a of assignments) {
        const i = a.indexOf('=');
        if (i <= 0) throw new UsageError(`"${a}" is not NAME=VALUE (for example flows=no or max_runs_per_day=100).`);
        pairs[a.slice(0, i).trim()] = a.slice(i + 1);
      }
      const account = await requireAccountByEmail(ctx, email);
      return { email: account.email, ...(await setCapabilities(ctx, account.id, pairs, CLI_ACTOR)) };
    },
    describe: (r) =>
      `${r.email}${r.owner ? ' (owner: may do everything)' : ''}: ` + CAPABILITY_NAMES.map((n) => `${n}=${show(r.effective[n])}${n in r.overrides ? '' : ' (default)'}`).join(', '),
  },
  {
    name: 'admin disable',
    summary: "Disable an account (sessions, tokens, API keys refused at once)",
    positionals: 'EMAIL',
    options: { 'stop-licenses': { type: 'boolean', description: "Also refuse its licenses when its buyers verify them" } },
    async run(ctx, o, p) {
      const account = await requireAccountByEmail(ctx, oneEmail(p, 'tessera admin disable EMAIL [--stop-licenses]'));
      return disableAccount(ctx, account.id, { stopLicenses: o['stop-licenses'] === true }, CLI_ACTOR);
    },
    describe: (r) => `Disabled ${r.email}${r.licenses_stopped ? ' and its licenses' : ' (its licenses still verify)'}`,
  },
  {
    name: 'admin enable',
    summary: 'Enable a disabled account again',
    positionals: 'EMAIL',
    options: {},
    async run(ctx, _o, p) {
      const account = await requireAccountByEmail(ctx, oneEmail(p, 'tessera admin enable EMAIL'));
      return enableAccount(ctx, account.id, CLI_ACTOR);
    },
    describe: (r) => `Enabled ${r.email}`,
  },
  {
    name: 'admin accounts',
    summary: 'List accounts (newest first)',
    options: { search: { type: 'string', description: 'Part of an email' } },
    run: (ctx, o) => listAccounts(ctx, { search: typeof o.search === 'string' ? o.search : '' }),
    describe: (r) =>
      r.accounts
        .map((a: { email: string; owner: boolean; disabled: boolean; counts: { applications: number; api_keys: number; flows: number } }) =>
          `${a.email}\t${a.owner ? 'owner' : a.disabled ? 'disabled' : 'active'}\tapps ${a.counts.applications}, keys ${a.counts.api_keys}, flows ${a.counts.flows}`,
        )
        .join('\n') || 'No accounts.',
  },
];

