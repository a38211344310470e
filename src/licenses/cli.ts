import fs from 'node:fs';
import { CLI_ACTOR } from '../context.js';
import { UsageError, type Command } from '../cli/command.js';
import { importLicenses } from './import.js';

export const licenseCommands: Command[] = [
  {
    name: 'import-licenses',
    summary: 'Import customers with their existing license keys from a CSV (all rows or none)',
    positionals: 'FILE.csv',
    options: { product: { type: 'string', required: true, description: 'Licensed product id or permalink' } },
    async run(ctx, o, positionals) {
      const [file] = positionals;
      if (!file || positionals.length > 1) throw new UsageError('Give one CSV file: tessera import-licenses --product ID FILE.csv (columns: email, license_key, and optionally full_name, uses, created_at).');
      let csv: string;
      try {
        csv = fs.readFileSync(file, 'utf8');
      } catch (err) {
        throw new UsageError(`Cannot read ${file}: ${(err as Error).message}`);
      }
      return importLicenses(ctx, { product: String(o.product), csv, actor: CLI_ACTOR });
    },
    describe: (r) =>
      `Imported ${r.imported} customer${r.imported === 1 ? '' : 's'} with their license keys into product ${r.product_id}.` +
      (r.ignored_columns.length ? `\nIgnored columns: ${r.ignored_columns.join(', ')}` : ''),
  },
];
