import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';

/**
 * The server secret every keyed hash and encryption key derives from.
 * TESSERA_SECRET wins; with SQLite a random one is generated once into dataDir/secret (0600).
 * With PostgreSQL several processes share one database, so the secret must be given.
 */
export function loadServerSecret(config: Config): string {
  if (config.secret) {
    if (config.secret.length < 32) throw new Error('TESSERA_SECRET must be at least 32 characters long.');
    return config.secret;
  }
  if (config.dialect === 'postgres') {
    throw new Error(
      'TESSERA_SECRET is required with PostgreSQL: every process sharing the database must hash with the same secret. ' +
        'Generate one with: node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'base64url\'))"',
    );
  }
  const file = path.join(config.dataDir, 'secret');
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
    throw new Error(`${file} is too short; delete it to generate a new secret (every credential will stop working).`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32).toString('base64url');
  try {
    fs.writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw err;
  }
}
