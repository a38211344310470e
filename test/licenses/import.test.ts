import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLI_ACTOR } from '../../src/context.js';
import { TesseraError } from '../../src/http/errors.js';
import { importLicenses } from '../../src/sales/license-import.js';
import { licenseKeyHash } from '../../src/licenses/key.js';
import { describeEachDialect, TEST_SECRET, type TestServer } from '../support/harness.js';
import { licensedProduct, newSeller, permalinkOf, verify } from './fixtures.js';

const run = promisify(execFile);
const BIN = path.resolve('bin/tessera.mjs');

/** Runs the CLI on the test server's database. */
async function cli(s: TestServer, ...args: string[]) {
  const { config } = s.ctx;
  const env = { ...process.env, TESSERA_SECRET: TEST_SECRET, TESSERA_DATA_DIR: config.dataDir, DATABASE_URL: config.dialect === 'sqlite' ? `file:${config.databaseUrl}` : config.databaseUrl };
  return run(process.execPath, [BIN, ...args], { env });
}

function csvFile(s: () => TestServer, text: string): string {
  const file = path.join(s().dataDir, `import-${Date.now()}-${Math.random()}.csv`);
  fs.writeFileSync(file, text);
  return file;
}

const importedSales = (s: TestServer, productExternalId: string) =>
  s.ctx.db
    .selectFrom('purchases')
    .innerJoin('products', 'products.id', 'purchases.product_id')
    .innerJoin('licenses', 'licenses.purchase_id', 'purchases.id')
    .select(['purchases.email', 'purchases.full_name', 'purchases.is_imported', 'purchases.created_at', 'licenses.uses', 'licenses.key_hash', 'licenses.id as license_id'])
    .where('products.external_id', '=', productExternalId)
    .orderBy('purchases.email')
    .execute();

async function importFails(s: TestServer, product: string, csv: string): Promise<TesseraError> {
  try {
    await importLicenses(s.ctx, { product, csv, actor: CLI_ACTOR });
  } catch (err) {
    assert.ok(err instanceof TesseraError);
    assert.equal(err.code, 'LICENSE_IMPORT_INVALID');
    return err;
  }
  assert.fail('expected the import to be refused');
}

describeEachDialect('tessera import-licenses', (s) => {
  describe('imports', () => {
    it('imports every row as an imported purchase whose key verifies unchanged (CLI, --json)', async () => {
      const seller = await newSeller(s());
      const product = await licensedProduct(s(), seller);
      const file = csvFile(s, [
        'Email,License_Key,full_name,uses,created_at,notes',
        'ann@example.com,OLD-KEY-0001,Ann,3,2022-05-01,first',
        '"bob@example.com","key, with ""quotes""","Bob\nSmith",,2021-01-02T03:04:05Z,',
        'cy@example.com,short,"Cy, Jr.",0,,',
      ].join('\r\n') + '\r\n');
      const { stdout } = await cli(s(), 'import-licenses', '--product', product.id, file, '--json');
      assert.deepEqual(JSON.parse(stdout), { product_id: product.id, imported: 3, ignored_columns: ['notes'] });

      const rows = await importedSales(s(), product.id);
      assert.deepEqual(rows.map((r) => [r.email, r.full_name, r.is_imported, r.uses]), [
        ['ann@example.com', 'Ann', 1, 3],
        ['bob@example.com', 'Bob\nSmith', 1, 0],
        ['cy@example.com', 'Cy, Jr.', 1, 0],
      ]);
      assert.equal(rows[0]!.created_at, Date.UTC(2022, 4, 1));
      assert.equal(rows[1]!.created_at, Date.UTC(2021, 0, 2, 3, 4, 5));
      assert.equal(rows[1]!.key_hash, licenseKeyHash(s().ctx.keys, 'key, with "quotes"'), 'looked up by its normalised form (decision 9)');

      const res = await verify(s(), { product_id: product.id, license_key: 'OLD-KEY-0001' });
      assert.equal(res.status, 200);
      assert.equal(res.body.uses, 4);
      assert.equal(res.body.imported_customer.email, 'ann@example.com');
      assert.equal(res.body.imported_customer.created_at, '2022-05-01T00:00:00Z');
      assert.equal((await verify(s(), { product_permalink: permalinkOf(product), license_key: 'short' })).status, 200);
      const upper = await verify(s(), { product_id: product.id, license_key: ' SHORT ' });
      assert.equal(upper.status, 200, 'imported keys match in any case, surrounding spaces ignored (decision 9)');
      assert.equal(upper.body.success, true);

      const audit = await s().ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'license.imported').where('user_id', '=', seller.user.id).execute();
      assert.equal(audit.length, 3);
      assert.equal(audit[0]!.actor_type, 'cli');
      assert.ok(!JSON.stringify(audit).includes('OLD-KEY-0001'));
    });

    it('finds the product by its permalink and prints a sentence without --json', async () => {
      const seller = await newSeller(s());
      const product = await licensedProduct(s(), seller);
      const { stdout } = await cli(s(), 'import-licenses', '--product', permalinkOf(product), csvFile(s, 'email,license_key\nz@example.com,ZZZ-1\n'));
      assert.match(stdout, /^Imported 1 customer with their license keys into product /);
    });
  });

  describe('refuses', () => {
    it('reports every bad row with its line number and imports nothing', async () => {
      const seller = await newSeller(s());
      const product = await licensedProduct(s(), seller);
      const err = await importFails(s(), product.id, [
        'email,license_key,uses,created_at',
        'good@example.com,GOOD-1,1,',
        'not-an-email,GOOD-2,,',
        'dup@example.com,GOOD-1,,',
        'neg@example.com,GOOD-3,-2,',
        'date@example.com,GOOD-4,,yesterday',
        'short@example.com,,',
        `long@example.com,${'x'.repeat(256)},,`,
      ].join('\n'));
      const problems = (err.details as { problems: string[] }).problems;
      assert.deepEqual(problems, [
        'line 3: email is not a valid address',
        'line 4: license_key repeats line 2',
        'line 5: uses must be a whole number, 0 or more',
        'line 6: created_at must be a date (YYYY-MM-DD) or an ISO 8601 time',
        'line 7: expected 4 fields, found 3',
        'line 8: license_key is longer than 255 characters',
      ]);
      assert.match(err.message, /^Nothing was imported: 6 problems: line 3: /);
      assert.deepEqual(await importedSales(s(), product.id), []);
    });

    it('refuses a key already in use, even in another product, naming its line', async () => {
      const seller = await newSeller(s());
      const product = await licensedProduct(s(), seller);
      await importLicenses(s().ctx, { product: product.id, csv: 'email,license_key\na@example.com,TAKEN-KEY\n', actor: CLI_ACTOR });
      const other = await licensedProduct(s(), seller);
      const err = await importFails(s(), other.id, 'email,license_key\nb@example.com,FREE-KEY\nc@example.com,TAKEN-KEY\n');
      assert.deepEqual((err.details as { problems: string[] }).problems, ['line 3: license_key is already in use']);
      assert.deepEqual(await importedSales(s(), other.id), []);
    });

    it('refuses a file without the required columns, a broken quote, and an unlicensed or unknown product', async () => {
      const seller = await newSeller(s());
      const product = await licensedProduct(s(), seller);
      assert.match((await importFails(s(), product.id, 'email,key\na@example.com,K\n')).message, /line 1: the header has no license_key column/);
      assert.match((await importFails(s(), product.id, 'email,license_key\na@example.com,"K\n')).message, /line 2: a quoted field is never closed/);
      assert.match((await importFails(s(), product.id, 'email,license_key\n')).message, /no rows/);
      const plain = await licensedProduct(s(), seller, { is_licensed: 'false' });
      assert.match((await importFails(s(), plain.id, 'email,license_key\na@example.com,K\n')).message, /does not issue license keys/);
      assert.match((await importFails(s(), 'no-such-product', 'email,license_key\na@example.com,K\n')).message, /No product "no-such-product"/);
    });

    it('exits non-zero from the CLI with the report on stderr', async () => {
      const seller = await newSeller(s());
      const product = await licensedProduct(s(), seller);
      try {
        await cli(s(), 'import-licenses', '--product', product.id, csvFile(s, 'email,license_key\nbad,K1\n'));
        assert.fail('expected a non-zero exit');
      } catch (err) {
        const e = err as { code: number; stderr: string };
        assert.equal(e.code, 1);
        assert.match(e.stderr, /Nothing was imported: 1 problem: line 2: email is not a valid address/);
      }
      assert.deepEqual(await importedSales(s(), product.id), []);
    });
  });
});
