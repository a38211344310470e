import type { LicenseView } from '../store.js';

/** A license as a key found it, kept between verify batches. */
export interface CachedLicense {
  /** Everything but `uses`, which is always read or counted fresh in the batch's transaction. */
  view: LicenseView;
  /** HMAC of the key this entry is found by: the view's current key_hash, or its grace_key_hash. */
  keyHash: string;
  /** The purchase object of the answer, serialized once (it names the key this entry is found by). */
  purchaseJson?: string;
}

/**
 * License views by license key (current or retired), so a verification computes no HMAC and
 * reads no join. The keys sit in this process's memory, as they do in the answers' purchase
 * JSON; the database still holds only their HMAC and ciphertext. The views are trusted only
 * while the database's `license_view_epoch` holds the value they were read under: triggers bump
 * it whenever any column a view shows changes, from any process, so a disable, rotation, refund
 * or rename is seen by the next batch of every server. The batcher calls `sync` inside each
 * batch's transaction before it uses an entry. Oldest entries go first once `capacity` is
 * reached (0 turns the cache off).
 */
export class LicenseViewCache {
  private epoch: number | null = null;
  private readonly byKey = new Map<string, CachedLicense>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.byKey.size;
  }

  /** Forgets every view if the epoch moved since they were read. */
  sync(epoch: number): void {
    if (epoch === this.epoch) return;
    this.byKey.clear();
    this.epoch = epoch;
  }

  get(key: string): CachedLicense | undefined {
    return this.byKey.get(key);
  }

  remember(key: string, keyHash: string, view: LicenseView): CachedLicense {
    const entry: CachedLicense = { view, keyHash };
    if (this.capacity === 0) return entry;
    if (this.byKey.size >= this.capacity && !this.byKey.has(key)) this.byKey.delete(this.byKey.keys().next().value!);
    this.byKey.set(key, entry);
    return entry;
  }
}
