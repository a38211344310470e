/**
 * Tessera's license client: online checks against a Tessera server (Gumroad's verify, Lemon
 * Squeezy's activate / validate / deactivate), offline checks of signed license files (compact
 * JWS, EdDSA over Ed25519, verified with WebCrypto), and `check()`, which prefers the server and
 * falls back to a cached file within its validity. No dependencies: Node 18+, Electron, browsers.
 */

export interface Jwk {
  kty: string;
  crv?: string;
  x?: string;
  kid?: string;
  alg?: string;
  use?: string;
}
export interface Jwks {
  keys: Jwk[];
}

/** The facts a license file states (docs/licensing.md, "License files"). */
export interface LicenseClaims {
  iss: string;
  sub: string;
  jti: string;
  iat: number;
  nbf: number;
  exp: number;
  license_id: string;
  sale_id: string;
  product_id: string;
  product_name: string;
  variant: string | null;
  email?: string;
  status: 'active' | 'inactive' | 'expired' | 'disabled';
  refunded: boolean;
  chargebacked: boolean;
  disabled: boolean;
  activation_limit: number | null;
  instance: { id: string; name: string; fingerprint: string | null } | null;
}

export type OfflineFailure =
  | 'malformed'
  | 'unknown_key'
  | 'bad_signature'
  | 'not_yet_valid'
  | 'expired'
  | 'disabled'
  | 'refunded'
  | 'wrong_product'
  | 'wrong_instance';

export type OfflineResult = { valid: true; claims: LicenseClaims } | { valid: false; reason: OfflineFailure; claims?: LicenseClaims };

export interface OfflineOptions {
  /** Milliseconds since the epoch; Date.now() by default. */
  now?: number;
  /** Tolerated clock difference, seconds (default 300). */
  clockSkewSeconds?: number;
  /** Refuse files of another product. */
  productId?: string;
  /** Refuse files bound to another instance. */
  instanceId?: string;
}

export const LICENSE_FILE_TYPE = 'tessera-license+jwt';

function base64urlBytes(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(b64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function base64urlJson(text: string): unknown {
  return JSON.parse(new TextDecoder().decode(base64urlBytes(text)));
}

async function subtleCrypto(): Promise<SubtleCrypto> {
  const global = (globalThis as { crypto?: Crypto }).crypto;
  if (global?.subtle) return global.subtle;
  // Node 18 without the global: its webcrypto module (never reached in browsers).
  const nodeCrypto = (await import('node:crypto')) as unknown as { webcrypto: Crypto };
  return nodeCrypto.webcrypto.subtle;
}

/**
 * Verifies a license file with a JWKS (Tessera's /.well-known/jwks.json, cached by the app):
 * signature (EdDSA / Ed25519 only), `typ`, validity window with clock skew, then the license's
 * state at issue time (disabled, refunded) and the optional product / instance binding.
 */
export async function verifyOffline(file: string, jwks: Jwks, options: OfflineOptions = {}): Promise<OfflineResult> {
  const parts = typeof file === 'string' ? file.trim().split('.') : [];
  if (parts.length !== 3) return { valid: false, reason: 'malformed' };
  let header: { alg?: string; kid?: string; typ?: string };
  let claims: LicenseClaims;
  try {
    header = base64urlJson(parts[0]!) as typeof header;
    claims = base64urlJson(parts[1]!) as LicenseClaims;
  } catch {
    return { valid: false, reason: 'malformed' };
  }
  if (header.alg !== 'EdDSA' || header.typ !== LICENSE_FILE_TYPE || typeof claims !== 'object' || claims === null) return { valid: false, reason: 'malformed' };
  const jwk = jwks.keys.find((k) => k.kid === header.kid && k.kty === 'OKP' && k.crv === 'Ed25519');
  if (!jwk) return { valid: false, reason: 'unknown_key' };
  const subtle = await subtleCrypto();
  let ok = false;
  try {
    const key = await subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x } as JsonWebKey, { name: 'Ed25519' }, false, ['verify']);
    const signature = base64urlBytes(parts[2]!);
    const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
    ok = await subtle.verify({ name: 'Ed25519' }, key, signature, signed);
  } catch {
    ok = false;
  }
  if (!ok) return { valid: false, reason: 'bad_signature' };
  const now = (options.now ?? Date.now()) / 1000;
  const skew = options.clockSkewSeconds ?? 300;
  if (typeof claims.exp !== 'number' || typeof claims.nbf !== 'number') return { valid: false, reason: 'malformed' };
  if (claims.nbf - skew > now) return { valid: false, reason: 'not_yet_valid', claims };
  if (claims.exp + skew <= now) return { valid: false, reason: 'expired', claims };
  if (claims.disabled || claims.status === 'disabled' || claims.chargebacked) return { valid: false, reason: 'disabled', claims };
  if (claims.refunded) return { valid: false, reason: 'refunded', claims };
  if (claims.status === 'expired') return { valid: false, reason: 'expired', claims };
  if (options.productId !== undefined && claims.product_id !== options.productId) return { valid: false, reason: 'wrong_product', claims };
  if (options.instanceId !== undefined && claims.instance?.id !== options.instanceId) return { valid: false, reason: 'wrong_instance', claims };
  return { valid: true, claims };
}

/** What the app keeps between runs for check(): the last license file and the JWKS that verifies it. */
export interface LicenseCache {
  get(): Promise<{ file: string; jwks: Jwks } | null> | { file: string; jwks: Jwks } | null;
  set(value: { file: string; jwks: Jwks } | null): Promise<void> | void;
}

/** A cache in memory (tests, short-lived processes); apps persist the same two values on disk or in storage. */
export function memoryCache(): LicenseCache {
  let value: { file: string; jwks: Jwks } | null = null;
  return { get: () => value, set: (v) => void (value = v) };
}

export interface ClientOptions {
  /** The Tessera server, e.g. https://licenses.example.com */
  baseUrl: string;
  /** The product's id (Gumroad's product_id): sent to verify and to the license-file route. */
  productId?: string;
  fetch?: typeof fetch;
  /** Milliseconds per request before it counts as offline (default 10000). */
  timeoutMs?: number;
  clockSkewSeconds?: number;
}

/** The server answered, and said no (as opposed to not answering at all). */
export class LicenseRefused extends Error {
  constructor(readonly status: number, readonly body: Record<string, unknown>) {
    super(typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : `HTTP ${status}`);
  }
}

export type CheckResult =
  | { valid: true; source: 'online' | 'offline'; claims: LicenseClaims | null; instanceId?: string }
  | { valid: false; source: 'online' | 'offline'; reason: string };

export class LicenseClient {
  private readonly base: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
  }

  private async post(path: string, body: Record<string, string | undefined>): Promise<Record<string, unknown>> {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(body)) if (v !== undefined) form.set(k, v);
    const response = await this.fetch(this.base + path, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    // Overloaded or rate limited is not a verdict: check() falls back to the cached file.
    if (response.status >= 500 || response.status === 429) throw new Error(`Tessera answered HTTP ${response.status}`);
    if (!response.ok || json.success === false) throw new LicenseRefused(response.status, json);
    return json;
  }

  /** Gumroad's POST /v2/licenses/verify: `{success, uses, purchase}`; counts a use unless told not to. */
  verifyOnline(licenseKey: string, options: { incrementUses?: boolean } = {}) {
    return this.post('/v2/licenses/verify', {
      product_id: this.options.productId,
      license_key: licenseKey,
      increment_uses_count: options.incrementUses === false ? 'false' : undefined,
    });
  }

  /** Lemon Squeezy's activate: takes a seat; keep `instance.id` for validate and deactivate. */
  activate(licenseKey: string, instanceName: string, options: { fingerprint?: string } = {}) {
    return this.post('/v1/licenses/activate', { license_key: licenseKey, instance_name: instanceName, fingerprint: options.fingerprint });
  }

  /** Lemon Squeezy's validate: `valid` for the key (and instance, when given). */
  validate(licenseKey: string, instanceId?: string) {
    return this.post('/v1/licenses/validate', { license_key: licenseKey, instance_id: instanceId });
  }

  /** Lemon Squeezy's deactivate: frees the instance's seat. */
  deactivate(licenseKey: string, instanceId: string) {
    return this.post('/v1/licenses/deactivate', { license_key: licenseKey, instance_id: instanceId });
  }

  /** A fresh signed license file (POST /v2/licenses/file), bound to the instance when given. */
  async licenseFile(licenseKey: string, instanceId?: string): Promise<string> {
    const body = await this.post('/v2/licenses/file', { license_key: licenseKey, product_id: this.options.productId, instance_id: instanceId });
    return String(body.license_file);
  }

  async jwks(): Promise<Jwks> {
    const response = await this.fetch(`${this.base}/.well-known/jwks.json`, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
    if (!response.ok) throw new Error(`JWKS: HTTP ${response.status}`);
    return (await response.json()) as Jwks;
  }

  verifyOffline(file: string, jwks: Jwks, options: OfflineOptions = {}) {
    return verifyOffline(file, jwks, { clockSkewSeconds: this.options.clockSkewSeconds, productId: this.options.productId, ...options });
  }

  /**
   * Online first: validates the key (and instance) with the server and refreshes the cached file
   * and JWKS. When the server cannot be reached, the cached file decides, within its validity.
   * A refusal by the server (unknown key, disabled, deactivated instance) clears the cache.
   */
  async check(licenseKey: string, cache: LicenseCache, options: { instanceId?: string; now?: number } = {}): Promise<CheckResult> {
    try {
      const answer = await this.validate(licenseKey, options.instanceId);
      if (answer.valid !== true) {
        await cache.set(null);
        return { valid: false, source: 'online', reason: typeof answer.error === 'string' ? answer.error : 'invalid' };
      }
      // The file first: the JWKS read after it publishes the key that signed it.
      const file = await this.licenseFile(licenseKey, options.instanceId);
      const jwks = await this.jwks();
      await cache.set({ file, jwks });
      const verified = await this.verifyOffline(file, jwks, { instanceId: options.instanceId, now: options.now });
      return { valid: true, source: 'online', claims: verified.valid ? verified.claims : null, instanceId: options.instanceId };
    } catch (err) {
      if (err instanceof LicenseRefused) {
        await cache.set(null);
        return { valid: false, source: 'online', reason: err.message };
      }
      const cached = await cache.get();
      if (!cached) return { valid: false, source: 'offline', reason: 'offline and no cached license file' };
      const verified = await this.verifyOffline(cached.file, cached.jwks, { instanceId: options.instanceId, now: options.now });
      return verified.valid ? { valid: true, source: 'offline', claims: verified.claims, instanceId: options.instanceId } : { valid: false, source: 'offline', reason: verified.reason };
    }
  }
}
