import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { isUniqueViolation } from '../../src/db/errors.js';
import { describeEachDialect } from '../support/harness.js';

/** The error a statement fails with (the test fails if it succeeds). */
async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  assert.fail('the statement should have failed');
}

describe('isUniqueViolation: values that are no driver error', () => {
  it('is false for non-errors and for errors whose text merely mentions a constraint', () => {
    for (const value of [undefined, null, 0, 'UNIQUE constraint failed', {}, { code: 42 }, new Error('UNIQUE constraint failed: team_members.team_id')]) {
      assert.equal(isUniqueViolation(value), false, String(value));
    }
  });
});

describeEachDialect('isUniqueViolation on a real driver error', (s) => {
  async function seedTeam() {
    const { user } = await s().signUp();
    const id = `t-${Math.random().toString(36).slice(2)}`;
    await s().ctx.db.insertInto('teams').values({ id, name: 'T', recoverable_keys: 0, created_by: user.id, created_at: Date.now() }).execute();
    await s().ctx.db.insertInto('team_members').values({ team_id: id, user_id: user.id, role: 'owner', added_at: Date.now() }).execute();
    return { teamId: id, userId: user.id };
  }

  it('recognises a duplicate primary key and a duplicate unique column', async () => {
    const { teamId, userId } = await seedTeam();
    const duplicatePk = await failure(() => s().ctx.db.insertInto('team_members').values({ team_id: teamId, user_id: userId, role: 'member', added_at: 1 }).execute());
    assert.equal(isUniqueViolation(duplicatePk), true, String(duplicatePk));
    const user = await s().ctx.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
    const duplicateEmail = await failure(() => s().ctx.db.insertInto('users').values({ ...user, id: `${user.id}-copy`, external_id: `${user.external_id}-copy` }).execute());
    assert.equal(isUniqueViolation(duplicateEmail), true, String(duplicateEmail));
    const rows = await s().ctx.db.selectFrom('team_members').select('role').where('team_id', '=', teamId).execute();
    assert.deepEqual(rows.map((r) => r.role), ['owner'], 'nothing changed');
  });

  it('does not mistake a foreign-key or a NOT NULL failure for a duplicate', async () => {
    const { userId } = await seedTeam();
    const foreignKey = await failure(() => s().ctx.db.insertInto('team_members').values({ team_id: 'no-such-team', user_id: userId, role: 'member', added_at: 1 }).execute());
    assert.match(String((foreignKey as { code?: string }).code), /FOREIGNKEY|23503/);
    assert.equal(isUniqueViolation(foreignKey), false);
    const notNull = await failure(() => sql`insert into team_members (team_id, user_id, role, added_at) values ('x', ${userId}, null, 1)`.execute(s().ctx.db));
    assert.match(String((notNull as { code?: string }).code), /NOTNULL|23502/);
    assert.equal(isUniqueViolation(notNull), false);
  });
});
