import type { LicenseView } from './store.js';

/** A license as a key found it, kept between verify batches. */
export interface CachedLicense {
  /** Everything but `uses`, which is always read or counted fresh in the batch's transaction. */
  view: LicenseView;
  /** The purchase object of the answer, serialized once (it names the key this entry is found by). */
  purchaseJson?: string;
}

/**
 * License views by key hash (current or retired key), so a verification reads no join. The
 * views are trusted only while the database's `license_view_epoch` holds the value they were
 * read under: triggers bump it whenever any column a view shows changes, from any process, so
 * a disable, rotation, refund or rename is seen by the next batch of every server. The batcher
 * calls `sync` inside each batch's transaction before it uses an entry. Oldest entries go first
 * once `capacity` is reached (0 turns the cache off).
 */
export class LicenseViewCache {
  private epoch: number | null = null;
  private readonly byHash = new Map<string, CachedLicense>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.byHash.size;
  }

  /** Forgets every view if the epoch moved since they were read. */
  sync(epoch: number): void {
    if (epoch === this.epoch) return;
    this.byHash.clear();
    this.epoch = epoch;
  }

  get(keyHash: string): CachedLicense | undefined {
    return this.byHash.get(keyHash);
  }

  remember(keyHash: string, view: LicenseView): CachedLicense {
    const entry: CachedLicense = { view };
    if (this.capacity === 0) return entry;
    if (this.byHash.size >= this.capacity && !this.byHash.has(keyHash)) this.byHash.delete(this.byHash.keys().next().value!);
    this.byHash.set(keyHash, entry);
    return entry;
  }
}
