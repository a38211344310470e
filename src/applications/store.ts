import type { Executor } from '../db/database.js';
import type { ApplicationTable } from './tables.js';

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

export function findLiveByClientId(db: Executor, clientId: string) {
  return db.selectFrom('applications').selectAll().where('client_id', '=', clientId).where('deleted_at', 'is', null).executeTakeFirst();
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
