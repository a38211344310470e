import argon2 from 'argon2';

/** argon2id cost (TESSERA_ARGON2_MEMORY_KIB, TESSERA_ARGON2_TIME_COST, TESSERA_ARGON2_PARALLELISM). */
export interface PasswordCost {
  memoryKiB: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's Password Storage Cheat Sheet, argon2id: 19 MiB of memory, 2 iterations, 1 lane. */
export const OWASP_ARGON2ID: PasswordCost = { memoryKiB: 19_456, timeCost: 2, parallelism: 1 };

/**
 * Hashes and checks account passwords at the configured cost. Lives in the application context:
 * the dummy hash that equalises the unknown-email path is computed the first time a login needs
 * it, at the same cost, never at import or start.
 */
export class PasswordHasher {
  #dummy: Promise<string> | undefined;

  constructor(readonly cost: PasswordCost) {}

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, memoryCost: this.cost.memoryKiB, timeCost: this.cost.timeCost, parallelism: this.cost.parallelism });
  }

  /** Hashes carry their own parameters: a hash made at another cost still verifies. */
  verify(hash: string, password: string): Promise<boolean> {
    return argon2.verify(hash, password);
  }

  /** Spends one verification on a dummy hash (unknown email) and answers false. */
  async verifyNothing(password: string): Promise<false> {
    this.#dummy ??= this.hash('tessera-timing-equaliser');
    await argon2.verify(await this.#dummy, password);
    return false;
  }
}
