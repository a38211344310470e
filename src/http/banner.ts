import fs from 'node:fs';
import type { Config } from '../config.js';

/** The version in package.json: two levels above this module in src/ and dist/, one above the bundle. */
export function tesseraVersion(): string {
  for (const candidate of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(fs.readFileSync(new URL(candidate, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'tessera') return pkg.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

/** Where the data lives, without a password. */
export function dataLocation(config: Config): string {
  if (config.dialect === 'sqlite') return config.databaseUrl;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

/** The two lines a person reads when `npm start` runs in a terminal (request logs stay JSON). */
export function startBanner(config: Config, url: string, anyAccount: boolean): string {
  const next = anyAccount ? 'open it to sign in' : 'open it to create the first account';
  return `Tessera ${tesseraVersion()} listening on ${url} — ${next}\nData: ${dataLocation(config)} · Node ${process.version} · LOG_LEVEL=${config.logLevel}\n`;
}
