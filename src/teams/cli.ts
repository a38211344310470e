import { CLI_ACTOR } from '../context.js';
import type { Command } from '../cli/command.js';
import { UsageError } from '../cli/command.js';
import { requireUserByEmail } from '../accounts/service.js';
import { findUserById } from '../accounts/store.js';
import { acceptInvitation, inviteMember } from './invitations.js';
import { TEAM_ROLES, createTeam } from './service.js';
import type { TeamRole } from './tables.js';

export const teamCommands: Command[] = [
  {
    name: 'team create',
    summary: 'Create a team owned by an account',
    options: {
      email: { type: 'string', required: true, description: "The owner's email" },
      name: { type: 'string', required: true, description: 'Team name' },
    },
    async run(ctx, o) {
      const owner = await requireUserByEmail(ctx, String(o.email));
      return createTeam(ctx, owner.id, { name: String(o.name) }, CLI_ACTOR);
    },
    describe: (r) => `Team ${r.name} (id ${r.id}: the project_id of the flows API)`,
  },
  {
    name: 'team add-member',
    summary: 'Invite an email to a team (acting as an owner or admin); it joins once it accepts',
    options: {
      email: { type: 'string', required: true, description: 'Email of the owner or admin acting' },
      team: { type: 'string', required: true, description: 'Team id' },
      member: { type: 'string', required: true, description: "The invitee's email" },
      role: { type: 'string', description: 'owner, admin or member (default member)' },
    },
    async run(ctx, o) {
      const role = (o.role ?? 'member') as TeamRole;
      if (!TEAM_ROLES.includes(role)) throw new UsageError('--role must be owner, admin or member');
      const actor = await requireUserByEmail(ctx, String(o.email));
      return inviteMember(ctx, actor.id, String(o.team), { email: String(o.member), role }, CLI_ACTOR);
    },
    describe: (r) => `Invited ${r.email} as ${r.role} (invitation ${r.id}, until ${r.expires_at}); they join once they accept`,
  },
  {
    name: 'team accept',
    summary: 'Accept a team invitation on behalf of the invited account (the operator vouches for it)',
    options: {
      email: { type: 'string', required: true, description: "The invitee's email" },
      invitation: { type: 'string', required: true, description: 'Invitation id' },
    },
    async run(ctx, o) {
      const invitee = await requireUserByEmail(ctx, String(o.email));
      const team = await acceptInvitation(ctx, invitee, String(o.invitation), CLI_ACTOR);
      const account = await findUserById(ctx.db, invitee.id);
      return { ...team, api_user_id: account!.external_id };
    },
    describe: (r) => `Joined team ${r.name} (${r.id}) as ${r.role} (user_id ${r.api_user_id})`,
  },
];
