import type { Selectable } from 'kysely';

/** One activated instance (a machine, a browser profile, a site) of a license (migration 0012). */
export interface LicenseActivationTable {
  /** The `instance_id` clients keep: a UUID. */
  id: string;
  /** licenses.id */
  license_id: string;
  /** The `instance_name` the client sent (Lemon Squeezy's label). */
  name: string;
  /** Optional machine fingerprint: activating again with the same one reuses the seat. */
  fingerprint: string | null;
  /** ISO 3166 alpha-2 country from a trusted proxy header (TESSERA_TRUST_PROXY), else null. */
  ip_country: string | null;
  created_at: number;
  last_seen_at: number;
}

/** A license whose seat count differs from its product's (null = unlimited). */
export interface LicenseLimitOverrideTable {
  license_id: string;
  activation_limit: number | null;
}

/** Ed25519 keys signing license files; published at /.well-known/jwks.json. */
export interface LicenseSigningKeyTable {
  kid: string;
  /** The public JWK (JSON text): kty, crv, x, kid, alg, use. */
  public_jwk: string;
  /** ctx.keys.encrypt of the PKCS#8 private key (base64url DER). Never plain. */
  private_key_encrypted: string;
  created_at: number;
  /** Set when rotated out: it signs nothing more, stays published until signed_until. */
  retired_at: number | null;
  /** Latest expiry (ms) of a file it signed, rounded up: retired keys are published until then. */
  signed_until: number;
}

export interface ActivationTables {
  license_activations: LicenseActivationTable;
  license_limit_overrides: LicenseLimitOverrideTable;
  license_signing_keys: LicenseSigningKeyTable;
}

export type ActivationRow = Selectable<LicenseActivationTable>;
export type SigningKeyRow = Selectable<LicenseSigningKeyTable>;
