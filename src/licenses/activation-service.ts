import { randomUUID } from 'node:crypto';
import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { lockRow, type Executor } from '../db/database.js';
import * as activations from './activation-store.js';
import type { ActivationRow } from './activation-tables.js';
import { licenseKeyHash } from './key.js';
import * as licenses from './store.js';
import type { LicenseView } from './store.js';
import { enqueueLicenseEvent } from '../webhooks/events.js';

/**
 * The license a client's key names, or undefined. Every activation / license-file route looks keys
 * up here and only here, through the licenses store's current-key lookup (retired keys of a
 * rotation name nothing here).
 */
export async function licenseByKey(ctx: AppContext, key: string): Promise<LicenseView | undefined> {
  return licenses.viewByCurrentKey(ctx.db, licenseKeyHash(ctx.keys, key));
}

export type LicenseState = 'active' | 'inactive' | 'expired' | 'disabled';

/**
 * Lemon Squeezy's four states: disabled (the seller disabled the key, or the sale was refunded or
 * charged back), expired (access revoked, or the subscription ended), else active with at least
 * one instance, inactive with none.
 */
export function licenseState(license: LicenseView, usage: number, now = Date.now()): LicenseState {
  if (license.disabled_at !== null || license.seller_licenses_stopped_at !== null || license.refunded === 1 || license.chargebacked === 1) return 'disabled';
  if (license.access_revoked_at !== null) return 'expired';
  if (license.subscription_ended_at !== null && license.subscription_ended_at <= now) return 'expired';
  return usage > 0 ? 'active' : 'inactive';
}

/** When the license stops (a subscription's end), or null. */
export function licenseExpiresAt(license: LicenseView): number | null {
  return license.subscription_ended_at ?? null;
}

export type RefusalReason = 'limit' | 'disabled' | 'expired';

/** Why an activation was refused; carries the counts for the answer. */
export class ActivationRefused extends Error {
  constructor(readonly reason: RefusalReason, readonly usage: number, readonly limit: number | null) {
    super(reason);
  }
}

export interface Seats {
  usage: number;
  limit: number | null;
}

export async function seatsOf(db: Executor, license: LicenseView): Promise<Seats> {
  const [usage, { limit }] = await Promise.all([activations.countActivations(db, license.id), activations.limitOf(db, license.id)]);
  return { usage, limit };
}

const EVENT_METADATA = (license: LicenseView, instance: ActivationRow, seats: Seats) => ({
  license_id: license.license_id,
  sale_id: license.sale_id,
  instance_id: instance.id,
  instance_name: instance.name,
  activation_usage: seats.usage,
  activation_limit: seats.limit,
});

/** Audits an activation event and offers it as a webhook (`license_activated` / `license_deactivated`), in the caller's transaction. */
async function announce(ctx: AppContext, trx: Executor, action: 'license.activated' | 'license.deactivated', license: LicenseView, instance: ActivationRow, seats: Seats, actor: Actor) {
  await recordAudit(trx, { actor, userId: license.seller_id, action, target: { type: 'license', id: license.id }, metadata: EVENT_METADATA(license, instance, seats) });
  const activation = {
    instance_id: instance.id,
    instance_name: instance.name,
    activation_usage: seats.usage,
    activation_limit: seats.limit,
  };
  await enqueueLicenseEvent(trx, ctx, license, action === 'license.activated' ? 'license_activated' : 'license_deactivated', { activation });
}

export interface ActivateInput {
  name: string;
  fingerprint: string | null;
  ipCountry: string | null;
  actor: Actor;
}

/**
 * Takes a seat: in one transaction that holds the license (its row locked on PostgreSQL; SQLite's
 * transactions are IMMEDIATE and one at a time), counts the instances and inserts one only under
 * the limit, so concurrent activations never exceed it. A fingerprint already activated on this
 * license answers its existing instance (renamed, seen now) without a second seat.
 */
export async function activate(ctx: AppContext, license: LicenseView, input: ActivateInput): Promise<{ instance: ActivationRow; seats: Seats; reused: boolean }> {
  const now = Date.now();
  return ctx.db.transaction().execute(async (trx) => {
    await lockRow(trx, ctx.dialect, 'licenses', license.id);
    const seats = await seatsOf(trx, license);
    const state = licenseState(license, seats.usage, now);
    if (state === 'disabled' || state === 'expired') throw new ActivationRefused(state, seats.usage, seats.limit);
    if (input.fingerprint !== null) {
      const existing = await activations.findByFingerprint(trx, license.id, input.fingerprint);
      if (existing) {
        await activations.renameActivation(trx, existing.id, input.name, now);
        return { instance: { ...existing, name: input.name, last_seen_at: now }, seats, reused: true };
      }
    }
    if (seats.limit !== null && seats.usage >= seats.limit) throw new ActivationRefused('limit', seats.usage, seats.limit);
    const instance: ActivationRow = {
      id: randomUUID(),
      license_id: license.id,
      name: input.name,
      fingerprint: input.fingerprint,
      ip_country: input.ipCountry,
      created_at: now,
      last_seen_at: now,
    };
    await activations.insertActivation(trx, instance);
    const after = { usage: seats.usage + 1, limit: seats.limit };
    await announce(ctx, trx, 'license.activated', license, instance, after, input.actor);
    return { instance, seats: after, reused: false };
  });
}

/** Frees the instance's seat; false when the license has no such instance. */
export async function deactivate(ctx: AppContext, license: LicenseView, instanceId: string, actor: Actor): Promise<{ instance: ActivationRow; seats: Seats } | null> {
  return ctx.db.transaction().execute(async (trx) => {
    await lockRow(trx, ctx.dialect, 'licenses', license.id);
    const instance = await activations.findActivation(trx, license.id, instanceId);
    if (!instance) return null;
    await activations.deleteActivation(trx, license.id, instanceId);
    const seats = await seatsOf(trx, license);
    await announce(ctx, trx, 'license.deactivated', license, instance, seats, actor);
    return { instance, seats };
  });
}

/** The instance, seen now (written at most once a minute per instance). */
export async function seeInstance(ctx: AppContext, license: LicenseView, instanceId: string): Promise<ActivationRow | undefined> {
  const instance = await activations.findActivation(ctx.db, license.id, instanceId);
  if (instance) await activations.touchActivation(ctx.db, instance.id, Date.now(), 60_000);
  return instance;
}

/** An instance id is a UUID (Lemon Squeezy's shape); anything else names nothing. */
export const INSTANCE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
