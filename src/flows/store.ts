import type { Executor } from '../db/database.js';
import type { FlowTable, OwnerType, WorkbookTable } from './tables.js';

export interface Owner {
  type: OwnerType;
  id: string;
}

export function insertWorkbook(db: Executor, workbook: WorkbookTable) {
  return db.insertInto('workbooks').values(workbook).execute();
}

/** Inserts a workbook unless a unique index already holds one like it (the owner's default). */
export function insertWorkbookIfAbsent(db: Executor, workbook: WorkbookTable) {
  return db.insertInto('workbooks').values(workbook).onConflict((oc) => oc.doNothing()).execute();
}

export function findWorkbook(db: Executor, owner: Owner, id: string) {
  return db.selectFrom('workbooks').selectAll().where('id', '=', id).where('owner_type', '=', owner.type).where('owner_id', '=', owner.id).executeTakeFirst();
}

export function findDefaultWorkbook(db: Executor, owner: Owner) {
  return db.selectFrom('workbooks').selectAll().where('owner_type', '=', owner.type).where('owner_id', '=', owner.id).where('is_default', '=', 1).executeTakeFirst();
}

export function listWorkbooks(db: Executor, owner: Owner) {
  return db.selectFrom('workbooks').selectAll().where('owner_type', '=', owner.type).where('owner_id', '=', owner.id).orderBy('created_at').execute();
}

export function insertFlow(db: Executor, flow: FlowTable) {
  return db.insertInto('flows').values(flow).execute();
}

/** A live flow of this owner; another owner's or a deleted one reads as missing. */
export function findFlow(db: Executor, owner: Owner, id: string) {
  return db
    .selectFrom('flows')
    .selectAll()
    .where('id', '=', id)
    .where('owner_type', '=', owner.type)
    .where('owner_id', '=', owner.id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export function findFlowById(db: Executor, id: string) {
  return db.selectFrom('flows').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

export function listFlows(db: Executor, owner: Owner, workbookId?: string) {
  let query = db.selectFrom('flows').selectAll().where('owner_type', '=', owner.type).where('owner_id', '=', owner.id).where('deleted_at', 'is', null);
  if (workbookId !== undefined) query = query.where('workbook_id', '=', workbookId);
  return query.orderBy('created_at').execute();
}

export function updateFlow(db: Executor, id: string, changes: Partial<FlowTable>) {
  return db.updateTable('flows').set(changes).where('id', '=', id).where('deleted_at', 'is', null).execute();
}
