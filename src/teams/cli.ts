import { CLI_ACTOR } from '../context.js';
import type { Command } from '../cli/command.js';
import { UsageError } from '../cli/command.js';
import { requireUserByEmail } from '../accounts/service.js';
import { TEAM_ROLES, addMember, createTeam } from './service.js';
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
    summary: 'Add an existing account to a team (acting as an owner or admin)',
    options: {
      email: { type: 'string', required: true, description: 'Email of the owner or admin acting' },
      team: { type: 'string', required: true, description: 'Team id' },
      member: { type: 'string', required: true, description: "The new member's email" },
      role: { type: 'string', description: 'owner, admin or member (default member)' },
    },
    async run(ctx, o) {
      const role = (o.role ?? 'member') as TeamRole;
      if (!TEAM_ROLES.includes(role)) throw new UsageError('--role must be owner, admin or member');
      const actor = await requireUserByEmail(ctx, String(o.email));
      return addMember(ctx, actor.id, String(o.team), { email: String(o.member), role }, CLI_ACTOR);
    },
    describe: (r) => `Added ${r.email} as ${r.role} (user_id ${r.api_user_id})`,
  },
];
