import { CLI_ACTOR } from '../context.js';
import type { Command } from '../cli/command.js';
import { createUser } from './service.js';

export const accountCommands: Command[] = [
  {
    name: 'user create',
    summary: 'Create a seller account',
    options: {
      email: { type: 'string', required: true, description: 'Login email' },
      password: { type: 'string', required: true, description: 'At least 8 characters' },
    },
    async run(ctx, o) {
      const password = String(o.password);
      if (password.length < 8) throw new Error('The password must be at least 8 characters long.');
      return createUser(ctx, { email: String(o.email), password }, CLI_ACTOR);
    },
    describe: (r) => `Created user ${r.email} (id ${r.id})`,
  },
];
