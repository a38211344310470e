import { CLI_ACTOR } from '../context.js';
import type { Command } from '../cli/command.js';
import { UsageError } from '../cli/command.js';
import { readNewPassword } from './cli-password.js';
import { passwordProblem } from './password-policy.js';
import { setPasswordAsOperator } from './passwords-service.js';
import { createUser } from './service.js';

export const accountCommands: Command[] = [
  {
    name: 'user create',
    summary: 'Create a seller account',
    options: {
      email: { type: 'string', required: true, description: 'Login email' },
      password: { type: 'string', required: true, description: 'At least 8 characters, not a common password' },
    },
    async run(ctx, o) {
      const password = String(o.password);
      const problem = passwordProblem(password, String(o.email));
      if (problem) throw new Error(problem);
      return createUser(ctx, { email: String(o.email), password }, CLI_ACTOR);
    },
    describe: (r) => `Created user ${r.email} (id ${r.id})`,
  },
  {
    name: 'user password',
    summary: 'Set a new password for an account (typed, or the first line of stdin); signs out its sessions',
    positionals: 'EMAIL',
    options: {},
    async run(ctx, _o, positionals) {
      if (positionals.length !== 1) throw new UsageError('Give the account: tessera user password EMAIL (the password is typed, or read from stdin).');
      const password = await readNewPassword();
      return setPasswordAsOperator(ctx, positionals[0]!, password, CLI_ACTOR);
    },
    describe: (r: { email: string; sessionsEnded: number }) => `New password set for ${r.email}; ${r.sessionsEnded} session(s) signed out.`,
  },
];
