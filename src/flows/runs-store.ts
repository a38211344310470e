import { sql } from 'kysely';
import type { Dialect } from '../config.js';
import type { Executor, Trx } from '../db/database.js';
import type { Owner } from './store.js';
import type { FlowRunTable, RunState } from './tables.js';

export const WAITING: RunState[] = ['STARTED', 'QUEUED'];
export const ACTIVE: RunState[] = ['RUNNING', 'TERMINATING'];
export const TERMINAL: RunState[] = ['DONE', 'FAILED', 'TERMINATED'];

export function insertRun(db: Executor, run: FlowRunTable) {
  return db.insertInto('flow_runs').values(run).execute();
}

/** The owner's runs, each with the public id of the user it acts for; another owner's runs are not there. */
function ownedRunsWithUser(db: Executor, owner: Owner) {
  return db
    .selectFrom('flow_runs')
    .innerJoin('users', 'users.id', 'flow_runs.user_id')
    .selectAll('flow_runs')
    .select('users.external_id as api_user_id')
    .where('flow_runs.owner_type', '=', owner.type)
    .where('flow_runs.owner_id', '=', owner.id);
}

/** A run with the public id of the user it acts for; another owner's run reads as missing. */
export function findRun(db: Executor, owner: Owner, id: string) {
  return ownedRunsWithUser(db, owner).where('flow_runs.id', '=', id).executeTakeFirst();
}

export function findRunById(db: Executor, id: string) {
  return db.selectFrom('flow_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findByIdempotencyKey(db: Executor, owner: Owner, key: string) {
  return db
    .selectFrom('flow_runs')
    .selectAll()
    .where('owner_type', '=', owner.type)
    .where('owner_id', '=', owner.id)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export async function countInStates(db: Executor, owner: Owner, states: RunState[]): Promise<number> {
  const row = await db
    .selectFrom('flow_runs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_type', '=', owner.type)
    .where('owner_id', '=', owner.id)
    .where('state', 'in', states)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The most recent runs of a flow, newest first, with the public id of their user. */
export function recentRuns(db: Executor, owner: Owner, flowId: string, limit: number) {
  return ownedRunsWithUser(db, owner)
    .where('flow_runs.flow_id', '=', flowId)
    .orderBy('flow_runs.created_at', 'desc')
    .orderBy('flow_runs.id', 'desc')
    .limit(limit)
    .execute();
}

/** Moves a run from one of `from` to `to`; false when another process moved it first. */
/**
 * The oldest waiting runs whose owners are below their concurrency limit (./claim.ts); on
 * PostgreSQL taken FOR UPDATE SKIP LOCKED, so workers never wait on each other's candidates.
 */
export async function claimCandidates(trx: Trx, dialect: Dialect, defaultLimit: number, max: number) {
  const { rows } = await sql<{ id: string; owner_type: 'user' | 'team'; owner_id: string }>`
      select r.id, r.owner_type, r.owner_id from flow_runs r
      where r.state in ('STARTED', 'QUEUED')
        and (select count(*) from flow_runs a
             where a.owner_type = r.owner_type and a.owner_id = r.owner_id and a.state in ('RUNNING', 'TERMINATING'))
          < coalesce((select l.max_concurrent from flow_limits l
                       where l.owner_type = r.owner_type and l.owner_id = r.owner_id), ${defaultLimit})
      order by r.created_at, r.id
      limit ${max}
      ${dialect === 'postgres' ? sql`for update of r skip locked` : sql``}`.execute(trx);
  return rows;
}

/** Runs a worker holds (RUNNING or TERMINATING), with what tells whether the worker is gone. */
export function activeRuns(db: Executor) {
  return db.selectFrom('flow_runs').select(['id', 'state', 'claimed_by', 'heartbeat_at', 'log']).where('state', 'in', ACTIVE).execute();
}

/** A worker's heartbeat on the runs it still holds. */
export async function heartbeat(db: Executor, ids: string[], now: number): Promise<void> {
  await db.updateTable('flow_runs').set({ heartbeat_at: now }).where('id', 'in', ids).where('state', 'in', ACTIVE).execute();
}

/** Which of these runs another process asked to kill. */
export async function terminatingAmong(db: Executor, ids: string[]): Promise<string[]> {
  const rows = await db.selectFrom('flow_runs').select('id').where('id', 'in', ids).where('state', '=', 'TERMINATING').execute();
  return rows.map((r) => r.id);
}

export async function transition(db: Executor, id: string, from: RunState[], changes: Partial<FlowRunTable> & { state: RunState }): Promise<boolean> {
  const result = await db.updateTable('flow_runs').set(changes).where('id', '=', id).where('state', 'in', from).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Saves the log of a run still going, leaving its state (RUNNING or TERMINATING) as it is. */
export async function writeProgress(db: Executor, id: string, log: string[]): Promise<void> {
  await db.updateTable('flow_runs').set({ log: JSON.stringify(log), heartbeat_at: Date.now() }).where('id', '=', id).where('state', 'in', ACTIVE).execute();
}

/**
 * Serialises the decisions about one owner's runs (queue cap at start, concurrency at claim)
 * across processes on PostgreSQL. SQLite needs none: Kysely runs one transaction at a time.
 */
export async function lockOwner(trx: Trx, dialect: Dialect, owner: Owner): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(${`flow-owner:${owner.type}:${owner.id}`}))`.execute(trx);
}
