import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createContext } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { CLI_ACTOR, type AppContext } from '../../src/context.js';
import { createUser } from '../../src/accounts/service.js';
import { createApplication, generateOwnerToken } from '../../src/applications/service.js';
import { createProduct } from '../../src/catalog/product-service.js';
import { licenseKeyHash } from '../../src/licenses/key.js';
import { settleUses } from '../../src/licenses/verify/use-log-store.js';
import { recordPurchase } from '../../src/sales/record-purchase.js';
import { ChildServer } from '../support/child-server.js';
import { createTestDatabase, DIALECTS, TEST_SECRET, uniqueEmail } from '../support/harness.js';

// kill -9 of the server under verify / decrement / rotate load, ten times, each followed by a
// restart: every use and rotation the server answered 2xx to is in the database afterwards.
// Only answered requests are counted as done; a request the kill cut off may or may not have
// committed, and the checks bound it between the two. After the kill, a reset or refused
// connection is the expected end of a request; any other error, or any non-200, fails the test.

const KILLS = 10;
/** The mixed license starts high so that decrements never reach the floor of 0 (a no-op there). */
const START_USES = 1_000_000;
const VERIFY_LANES = 4;
/** Answered verifications per round before the kill is sent (a small load: the kill is the point). */
const WARM_VERIFIES = 30;

/** What a dead server leaves a request with: the connection reset, refused, or closed mid-answer. */
const CUT_OFF = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
function cutOff(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code && CUT_OFF.has(e.code)) return true;
  }
  return false;
}

interface Tally {
  sent: number;
  answered: number;
}

describe('licenses survive kill -9 under load', () => {
  for (const dialect of DIALECTS) {
    describe(`[${dialect}]`, () => {
      let database: Awaited<ReturnType<typeof createTestDatabase>>;
      let env: Record<string, string>;
      let ctx: AppContext & { close(): Promise<void> };
      let server: ChildServer | undefined;
      before(async () => {
        database = await createTestDatabase(dialect);
        env = { ...database.env, TESSERA_SECRET: TEST_SECRET, TESSERA_DATA_DIR: database.dataDir };
        // The test seeds and checks through a context of its own on the same database, while no server runs.
        ctx = await createContext(loadConfig(env));
      });
      after(async () => {
        await server?.kill();
        await ctx?.close();
        await database?.drop();
      });

      it(`${KILLS} kills: every answered use, decrement and rotation is stored`, async () => {
        const seller = await createUser(ctx, { email: uniqueEmail('crash'), password: 'correct horse battery' }, CLI_ACTOR);
        const appId = (await createApplication(ctx, seller.id, { name: 'Crash', redirect_uri: 'http://127.0.0.1' }, CLI_ACTOR)).application.id;
        const token = (await generateOwnerToken(ctx, seller.id, appId, {}, CLI_ACTOR)).accessToken;
        const product = await createProduct(ctx, seller.id, { name: 'Pro App', price: '1500', is_licensed: 'true' }, CLI_ACTOR);
        const sale = async () => {
          const s = await recordPurchase(ctx, seller.id, { product: product.id, email: 'buyer@example.com' }, CLI_ACTOR);
          return { key: String(s.license_key), id: String(s.license_id) };
        };
        const mixed = await sale();
        await ctx.db.updateTable('licenses').set({ uses: START_USES }).where('external_id', '=', mixed.id).execute();
        const rotating = [await sale(), await sale()];

        const row = async (licenseId: string) => {
          await settleUses(ctx.db);
          return ctx.db.selectFrom('licenses').selectAll().where('external_id', '=', licenseId).executeTakeFirstOrThrow();
        };
        const audits = async (licenseId: string, action: string) => {
          const { id } = await row(licenseId);
          const found = await ctx.db.selectFrom('audit_events').select('id').where('target_id', '=', id).where('action', '=', action).execute();
          return found.length;
        };
        const succeeded = async (licenseId: string) => {
          const { id } = await row(licenseId);
          const days = await ctx.db.selectFrom('license_verification_days').select('succeeded').where('license_id', '=', id).execute();
          return days.reduce((sum, d) => sum + Number(d.succeeded), 0);
        };

        const verifies: Tally = { sent: 0, answered: 0 };
        const decrements: Tally = { sent: 0, answered: 0 };
        /** Verifications without a use, answered by each restarted server (counted in the day rows, not in uses). */
        let checks = 0;
        const rotations = rotating.map(() => ({ answered: 0, committed: 0 }));

        for (let round = 0; round < KILLS; round++) {
          server = await ChildServer.start(env);
          const url = server.url;
          const form = (path: string, method: string, params: Record<string, string>) =>
            fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) });

          // The restarted server answers what the last one stored: the mixed license's uses, and each rotated key.
          const stored = await row(mixed.id);
          const check = await form('/v2/licenses/verify', 'POST', { product_id: product.id, license_key: mixed.key, increment_uses_count: 'false' });
          assert.equal(check.status, 200);
          assert.equal(((await check.json()) as { uses: number }).uses, stored.uses, `round ${round}: the restarted server answers the stored uses`);
          checks++;
          for (const license of rotating) {
            const res = await form('/v2/licenses/verify', 'POST', { product_id: product.id, license_key: license.key, increment_uses_count: 'false' });
            assert.equal(res.status, 200, `round ${round}: the last stored key of ${license.id} verifies after the restart`);
            await res.body?.cancel();
          }

          let killing = false;
          let warmed!: () => void;
          const warm = new Promise<void>((resolve) => (warmed = resolve));
          let roundVerifies = 0;
          /** One request of a lane: answered (true), or cut off by the kill (false); anything else throws. */
          const attempt = async (tally: Tally | null, send: () => Promise<Response>, answered: (body: Record<string, unknown>) => void) => {
            if (tally) tally.sent++;
            let body: Record<string, unknown>;
            let status: number;
            try {
              const res = await send();
              status = res.status;
              body = (await res.json()) as Record<string, unknown>;
            } catch (err) {
              if (killing && cutOff(err)) return false;
              throw err;
            }
            assert.equal(status, 200, `round ${round}: ${JSON.stringify(body)}`);
            if (tally) tally.answered++;
            answered(body);
            return true;
          };
          const loop = async (step: () => Promise<boolean>) => {
            while (!killing && (await step()));
          };
          const lanes = [
            ...Array.from({ length: VERIFY_LANES }, () =>
              loop(() =>
                attempt(verifies, () => form('/v2/licenses/verify', 'POST', { product_id: product.id, license_key: mixed.key }), () => {
                  if (++roundVerifies === WARM_VERIFIES) warmed();
                }),
              ),
            ),
            loop(() => attempt(decrements, () => form('/v2/licenses/decrement_uses_count', 'PUT', { access_token: token, product_id: product.id, license_key: mixed.key }), () => {})),
            ...rotating.map((license, i) =>
              loop(() =>
                attempt(null, () => form('/v2/licenses/rotate', 'PUT', { access_token: token, product_id: product.id, license_key: license.key }), (body) => {
                  license.key = (body.purchase as { license_key: string }).license_key;
                  rotations[i]!.answered++;
                }),
              ),
            ),
          ];
          const failed = Promise.all(lanes).then(() => {
            if (!killing) throw new Error('a lane stopped before the kill');
          });
          await Promise.race([warm, failed]);
          // A few milliseconds more, different each round, so the kill lands at different points of a batch.
          await new Promise((r) => setTimeout(r, (round * 7) % 30));
          killing = true;
          await server.kill();
          await failed;
          server = undefined;

          // Nothing runs now: what is stored is what survived.
          const usesNow = (await row(mixed.id)).uses;
          const decremented = await audits(mixed.id, 'license.uses_decremented');
          const counted = (await succeeded(mixed.id)) - checks;
          assert.ok(decremented >= decrements.answered && decremented <= decrements.sent, `round ${round}: ${decremented} decrements stored, ${decrements.answered} answered of ${decrements.sent}`);
          assert.ok(counted >= verifies.answered && counted <= verifies.sent, `round ${round}: ${counted} verifications stored, ${verifies.answered} answered of ${verifies.sent}`);
          assert.equal(usesNow, START_USES + counted - decremented, `round ${round}: uses are exactly the stored verifications less the stored decrements`);
          for (const [i, license] of rotating.entries()) {
            const current = await row(license.id);
            const rotation = rotations[i]!;
            if (current.key_hash !== licenseKeyHash(ctx.keys, license.key)) {
              // The rotation the kill cut off committed: its new key is the one stored.
              license.key = ctx.keys.decrypt(current.key_encrypted);
              rotation.committed++;
            }
            const stored = await audits(license.id, 'license.rotated');
            assert.equal(stored, rotation.answered + rotation.committed, `round ${round}: every answered rotation of ${license.id} is stored, and at most one more`);
            assert.ok(rotation.committed <= round + 1);
          }
        }
        const totalRotations = rotations.reduce((n, r) => n + r.answered, 0);
        assert.ok(verifies.answered >= KILLS * WARM_VERIFIES && decrements.answered > 0 && totalRotations > KILLS, 'the load reached every operation');
      });
    });
  }
});
