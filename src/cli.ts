import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { createContext } from './bootstrap.js';
import { UsageError, type Command } from './cli/command.js';
import { accountCommands } from './accounts/cli.js';
import { adminCommands } from './admin/cli.js';
import { applicationCommands } from './applications/cli.js';
import { auditCommands } from './audit/cli.js';
import { catalogCommands } from './catalog/cli.js';
import { flowCommands } from './flows/cli.js';
import { licenseCommands } from './licenses/cli.js';
import { opsCommands } from './ops/cli.js';
import { importLicensesCommand, salesCommands } from './sales/cli.js';
import { webhookCommands } from './webhooks/cli.js';

/** Every command, by domain. Each acts on the database that DATABASE_URL / TESSERA_DATA_DIR name. */
const commands: Command[] = [...accountCommands, ...adminCommands, ...applicationCommands, ...auditCommands, ...catalogCommands, ...salesCommands, ...flowCommands, importLicensesCommand, ...licenseCommands, ...opsCommands, ...webhookCommands];

function help(): string {
  const lines = ['Usage: tessera <command> [options] [--json]', '', 'Commands:'];
  for (const c of commands) {
    lines.push(`  ${c.name}${c.positionals ? ' ' + c.positionals : ''}`.padEnd(36) + c.summary);
    for (const [name, o] of Object.entries(c.options)) {
      lines.push(`      --${name}${o.type === 'string' ? ' VALUE' : ''}`.padEnd(36) + o.description + (o.required ? ' (required)' : ''));
    }
  }
  lines.push('', 'With --json a command prints one JSON object on stdout and nothing else.');
  return lines.join('\n');
}

function findCommand(argv: string[]): { command: Command; rest: string[] } {
  for (const c of commands) {
    const words = c.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command: c, rest: argv.slice(words.length) };
  }
  throw new UsageError(argv.length ? `Unknown command "${argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')}". Run "tessera help".` : help());
}

/**
 * Ids may start with "-" (URL-safe base64), which parseArgs would take for an option:
 * `--app -Ezx…` becomes `--app=-Ezx…` for every option that takes a value.
 */
function attachValues(args: string[], command: Command): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!.startsWith('--') ? args[i]!.slice(2) : '';
    const next = args[i + 1];
    if (command.options[name]?.type === 'string' && next !== undefined && next.startsWith('-') && !next.startsWith('--')) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(args[i]!);
  }
  return out;
}

export async function runCli(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help') {
    process.stdout.write(help() + '\n');
    return 0;
  }
  const { command, rest } = findCommand(argv);
  const parsed = parseArgs({
    args: attachValues(rest, command),
    options: { json: { type: 'boolean' }, ...Object.fromEntries(Object.entries(command.options).map(([k, o]) => [k, { type: o.type }])) },
    allowPositionals: true,
    strict: true,
  });
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const positionals = parsed.positionals;
  for (const [name, o] of Object.entries(command.options)) {
    if (o.required && (values[name] === undefined || values[name] === '')) throw new UsageError(`--${name} is required for "tessera ${command.name}".`);
  }
  const ctx = await createContext(loadConfig());
  try {
    const result = await command.run(ctx, values, positionals);
    if (command.longRunning) return 0;
    process.stdout.write((values.json || !command.describe ? JSON.stringify(result) : command.describe(result)) + '\n');
    return 0;
  } finally {
    if (!command.longRunning) await ctx.close();
  }
}

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`tessera: ${err.message.split('\n')[0]}\n`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
