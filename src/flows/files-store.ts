import { sql } from 'kysely';
import type { Dialect } from '../config.js';
import type { Executor, Trx } from '../db/database.js';
import type { Owner } from './store.js';
import type { FlowFileTable } from './tables.js';

/** Everything of a file but its bytes. */
const META = ['id', 'owner_type', 'owner_id', 'run_id', 'name', 'content_type', 'size', 'created_by', 'created_at', 'updated_at'] as const;

function owned(db: Executor, owner: Owner) {
  return db.selectFrom('flow_files').where('owner_type', '=', owner.type).where('owner_id', '=', owner.id);
}

/** An upload of this owner by name, without its bytes; another owner's reads as missing. */
export function findUpload(db: Executor, owner: Owner, name: string) {
  return owned(db, owner).select(META).where('run_id', 'is', null).where('name', '=', name).executeTakeFirst();
}

/** Uploads of this owner among `names`, without their bytes. */
export function findUploads(db: Executor, owner: Owner, names: string[]) {
  if (names.length === 0) return Promise.resolve([]);
  return owned(db, owner).select(META).where('run_id', 'is', null).where('name', 'in', names).execute();
}

/** Files one run of this owner wrote, among `names`, without their bytes. */
export function findRunFiles(db: Executor, owner: Owner, runId: string, names: string[]) {
  if (names.length === 0) return Promise.resolve([]);
  return owned(db, owner).select(META).where('run_id', '=', runId).where('name', 'in', names).execute();
}

/** For each of `names`, the newest file of that name written by a run of the flow, without its bytes. */
export async function findNewestFlowFiles(db: Executor, owner: Owner, flowId: string, names: string[]) {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom('flow_files')
    .innerJoin('flow_runs', 'flow_runs.id', 'flow_files.run_id')
    .select(META.map((c) => `flow_files.${c}` as const))
    .where('flow_files.owner_type', '=', owner.type)
    .where('flow_files.owner_id', '=', owner.id)
    .where('flow_runs.flow_id', '=', flowId)
    .where('flow_files.name', 'in', names)
    .orderBy('flow_files.updated_at', 'desc')
    .orderBy('flow_files.id', 'desc')
    .execute();
  const newest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (!newest.has(row.name)) newest.set(row.name, row);
  return [...newest.values()];
}

/** The bytes of one file, by id. */
export async function readContent(db: Executor, id: string): Promise<Buffer | undefined> {
  const row = await db.selectFrom('flow_files').select('content').where('id', '=', id).executeTakeFirst();
  return row ? Buffer.from(row.content) : undefined;
}

/** Bytes this owner stores in all. */
export async function totalSize(db: Executor, owner: Owner): Promise<number> {
  const row = await owned(db, owner).select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), sql<number>`0`).as('total')).executeTakeFirstOrThrow();
  return Number(row.total);
}

/** The file a new one of this name replaces: the owner's upload, or the run's own file. */
export function findReplaced(db: Executor, owner: Owner, runId: string | null, name: string) {
  const query = owned(db, owner).select(['id', 'size']).where('name', '=', name);
  return (runId === null ? query.where('run_id', 'is', null) : query.where('run_id', '=', runId)).executeTakeFirst();
}

export function insertFile(db: Executor, file: FlowFileTable) {
  return db.insertInto('flow_files').values(file).execute();
}

export function replaceContent(db: Executor, id: string, changes: Pick<FlowFileTable, 'content' | 'content_type' | 'size' | 'created_by' | 'updated_at'>) {
  return db.updateTable('flow_files').set(changes).where('id', '=', id).execute();
}

/** Deletes the owner's run files written before `before` (their retention is over). */
export function deleteRunFilesBefore(db: Executor, owner: Owner, before: number) {
  return db
    .deleteFrom('flow_files')
    .where('owner_type', '=', owner.type)
    .where('owner_id', '=', owner.id)
    .where('run_id', 'is not', null)
    .where('updated_at', '<', before)
    .execute();
}

/**
 * Serialises the writes of one owner's files (the storage limit is checked against the total)
 * across processes on PostgreSQL. SQLite needs none: Kysely runs one transaction at a time.
 */
export async function lockOwnerFiles(trx: Trx, dialect: Dialect, owner: Owner): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(${`flow-files:${owner.type}:${owner.id}`}))`.execute(trx);
}
