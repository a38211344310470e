import net from 'node:net';

/** What TESSERA_TRUST_PROXY allows: no proxy, a number of hops, or the proxies' addresses. */
export type TrustProxy = false | number | string[];

const KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  if (KEYWORDS.has(entry)) return true;
  const [address, prefix, extra] = entry.split('/');
  if (extra !== undefined || !address) return false;
  const family = net.isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Reads TESSERA_TRUST_PROXY. Unset, `0` or `false`: no proxy, the socket's address is the client.
 * A number N: N proxies stand in front (`1`: one reverse proxy); the client is the address N
 * hops back in X-Forwarded-For, counted from the right, so whatever the client wrote on the
 * left is ignored. A comma list of addresses or CIDRs (and `loopback`, `linklocal`,
 * `uniquelocal`): the client is the rightmost address that is not one of those proxies.
 * `true` (trust every hop, hence the leftmost, client-written address) is refused.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? '').trim();
  if (text === '' || text === '0' || text.toLowerCase() === 'false') return false;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 32) throw new Error(`TESSERA_TRUST_PROXY: ${hops} hops is more than any real proxy chain (at most 32)`);
    return hops;
  }
  if (text.toLowerCase() === 'true') {
    throw new Error('TESSERA_TRUST_PROXY=true would trust the X-Forwarded-For the client writes itself: give a hop count (1 for one proxy) or the proxies\' addresses');
  }
  const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
  const bad = entries.filter((e) => !isAddressOrCidr(e));
  if (bad.length > 0 || entries.length === 0) {
    throw new Error(`TESSERA_TRUST_PROXY must be a hop count or a comma list of proxy addresses/CIDRs; not understood: ${bad.join(', ') || text}`);
  }
  return entries;
}

/** The setting in the form Fastify's `trustProxy` option takes (a hop count as proxy-addr reads it). */
export function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false || Array.isArray(trust)) return trust;
  const hops = trust;
  return (_address, hop) => hop < hops;
}
