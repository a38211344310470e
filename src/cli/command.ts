import type { AppContext } from '../context.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  required?: boolean;
  description: string;
}

/** One CLI command: `tessera <name> --option value`. `run` returns the object printed by --json. */
export interface Command {
  name: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** Positional arguments (for example a CSV file), described for the help text. */
  positionals?: string;
  run(ctx: AppContext, options: Record<string, string | boolean | undefined>, positionals: string[]): Promise<object>;
  /** Human-readable output without --json; the JSON itself when absent. */
  describe?(result: any): string;
  /** Long-running commands (worker) keep the process alive. */
  longRunning?: boolean;
}

export class UsageError extends Error {}

export function intOption(value: string | boolean | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number`);
  return n;
}
