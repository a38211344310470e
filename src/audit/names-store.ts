import type { Executor } from '../db/database.js';

/**
 * The names of the things audit events point at (targets and actors), so the log can say
 * "regenerated the client secret of application “Zapier sync”" rather than an id. One query per
 * kind of thing, for the ids of one page of events. A thing since deleted has no name here; the
 * event's own metadata (which keeps the name of deleted things) fills in.
 */

export interface Ref {
  type: string;
  id: string;
}

/** `type:id` → a name as a person would say it. */
export type Names = Map<string, string>;

export const refKey = (type: string, id: string) => `${type}:${id}`;

type Lookup = (db: Executor, ids: string[]) => Promise<Array<{ id: string; name: string }>>;

const LOOKUPS: Record<string, Lookup> = {
  application: (db, ids) => db.selectFrom('applications').select(['id', 'name']).where('id', 'in', ids).execute(),
  api_key: (db, ids) => db.selectFrom('api_keys').select(['id', 'name']).where('id', 'in', ids).execute(),
  team: (db, ids) => db.selectFrom('teams').select(['id', 'name']).where('id', 'in', ids).execute(),
  flow: (db, ids) => db.selectFrom('flows').select(['id', 'name']).where('id', 'in', ids).execute(),
  workbook: (db, ids) => db.selectFrom('workbooks').select(['id', 'name']).where('id', 'in', ids).execute(),
  product: (db, ids) => db.selectFrom('products').select(['external_id as id', 'name']).where('external_id', 'in', ids).execute(),
  offer_code: (db, ids) => db.selectFrom('offer_codes').select(['external_id as id', 'name']).where('external_id', 'in', ids).execute(),
  variant: (db, ids) => db.selectFrom('variants').select(['external_id as id', 'name']).where('external_id', 'in', ids).execute(),
  variant_category: (db, ids) => db.selectFrom('variant_categories').select(['external_id as id', 'title as name']).where('external_id', 'in', ids).execute(),
  custom_field: (db, ids) => db.selectFrom('custom_fields').select(['external_id as id', 'name']).where('external_id', 'in', ids).execute(),
  user: (db, ids) => db.selectFrom('users').select(['id', 'email as name']).where('id', 'in', ids).execute(),
  access_token: async (db, ids) =>
    (
      await db
        .selectFrom('access_tokens as t')
        .innerJoin('applications as a', 'a.id', 't.application_id')
        .select(['t.id', 't.hint', 'a.name'])
        .where('t.id', 'in', ids)
        .execute()
    ).map((r) => ({ id: r.id, name: `${r.hint} of application “${r.name}”` })),
  resource_subscription: async (db, ids) =>
    (await db.selectFrom('resource_subscriptions').select(['external_id', 'resource_name', 'post_url']).where('external_id', 'in', ids).execute()).map((r) => ({
      id: r.external_id,
      name: `${r.resource_name} → ${r.post_url}`,
    })),
  sale: async (db, ids) =>
    (
      await db
        .selectFrom('purchases as p')
        .innerJoin('products as pr', 'pr.id', 'p.product_id')
        .select(['p.external_id', 'p.email', 'pr.name'])
        .where('p.external_id', 'in', ids)
        .execute()
    ).map((r) => ({ id: r.external_id, name: `${r.email}’s purchase of “${r.name}”` })),
  license: async (db, ids) =>
    (
      await db
        .selectFrom('licenses as l')
        .innerJoin('purchases as p', 'p.id', 'l.purchase_id')
        .innerJoin('products as pr', 'pr.id', 'l.product_id')
        .select(['l.external_id', 'p.email', 'pr.name'])
        .where('l.external_id', 'in', ids)
        .execute()
    ).map((r) => ({ id: r.external_id, name: `${r.email}’s license for “${r.name}”` })),
};

/** The names of the given things that still exist (unknown kinds are skipped). */
export async function namesOf(db: Executor, refs: Ref[]): Promise<Names> {
  const byType = new Map<string, Set<string>>();
  for (const ref of refs) {
    if (!LOOKUPS[ref.type]) continue;
    const ids = byType.get(ref.type) ?? new Set<string>();
    ids.add(ref.id);
    byType.set(ref.type, ids);
  }
  const names: Names = new Map();
  await Promise.all(
    [...byType].map(async ([type, ids]) => {
      for (const row of await LOOKUPS[type]!(db, [...ids])) names.set(refKey(type, row.id), row.name);
    }),
  );
  return names;
}
