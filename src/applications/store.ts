import { sql } from 'kysely';
import type { Dialect } from '../config.js';
import type { Executor } from '../db/database.js';
import { precompiled, slot } from '../db/precompiled.js';
import type { ApplicationRow, ApplicationTable } from './tables.js';

export function insertApplication(db: Executor, app: ApplicationTable) {
  return db.insertInto('applications').values(app).execute();
}

/** A live application of this owner; another owner's or a deleted one reads as missing. */
export function findOwned(db: Executor, id: string, ownerId: string) {
  return db
    .selectFrom('applications')
    .selectAll()
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export function findById(db: Executor, id: string) {
  return db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A live application as an OAuth client sees it: no icon bytes, only whether it has one. */
export type ClientRow = Pick<ApplicationRow, 'id' | 'owner_id' | 'name' | 'redirect_uri' | 'client_id' | 'client_secret_hash' | 'scopes' | 'access_token_lifetime'> & {
  has_icon: number;
};

const liveByClientId = precompiled<ClientRow, { clientId: string }>((db) =>
  db
    .selectFrom('applications')
    .select(['id', 'owner_id', 'name', 'redirect_uri', 'client_id', 'client_secret_hash', 'scopes', 'access_token_lifetime'])
    .select(sql<number>`case when icon_data is null then 0 else 1 end`.as('has_icon'))
    .where('client_id', '=', slot('clientId'))
    .where('deleted_at', 'is', null)
    .compile(),
);

/** Every OAuth request's client lookup: one statement compiled once. */
export async function findLiveByClientId(db: Executor, dialect: Dialect, clientId: string): Promise<ClientRow | undefined> {
  const [row] = await liveByClientId(db, dialect, { clientId });
  return row;
}

export function listOwned(db: Executor, ownerId: string) {
  return db
    .selectFrom('applications')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

export function updateApplication(db: Executor, id: string, changes: Partial<ApplicationTable>) {
  return db.updateTable('applications').set(changes).where('id', '=', id).where('deleted_at', 'is', null).execute();
}
