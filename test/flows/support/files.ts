import type { Client, Response } from '../../support/client.js';
import type { AppContext } from '../../../src/context.js';
import { addMember, apiUserId, createKey, createTeam } from './fixtures.js';

/** Small limits for the file tests: a file of 2 000 bytes, 6 000 bytes per account or team. */
export const FILE_LIMITS = { TESSERA_FLOW_FILE_MAX_BYTES: '2000', TESSERA_FLOW_FILES_MAX_TOTAL_BYTES: '6000' };

/** A flow whose one step writes report.csv from its input. */
export const REPORT_FLOW = {
  name: 'Report',
  inputs: [{ name: 'body', required: true }],
  steps: [{ id: 'save', type: 'write_file', file_name: 'report.csv', content: '{{ inputs.body }}' }],
};

export const b64 = (content: string | Buffer) => Buffer.from(content).toString('base64');

/** Every byte value once: a download must return it unchanged. */
export const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

interface Server {
  ctx: AppContext;
  client(): Client;
  signUp(): Promise<{ client: Client; user: { id: string; email: string }; password: string }>;
}

/**
 * A seller with a personal key, a read-only key and a team (with a team key and a member), and
 * an outsider with a key of their own.
 */
export async function fileWorld(s: Server) {
  const seller = await s.signUp();
  const member = await s.signUp();
  const outsider = await s.signUp();
  const team = await createTeam(seller.client);
  await addMember(seller.client, team.id, member);
  return {
    seller,
    outsider,
    team,
    key: (await createKey(seller.client, { name: 'files' })).api_key,
    readKey: (await createKey(seller.client, { name: 'read', scopes: ['flows:read'] })).api_key,
    teamKey: (await createKey(seller.client, { name: 'team', team_id: team.id })).api_key,
    outsiderKey: (await createKey(outsider.client, { name: 'theirs' })).api_key,
    userId: await apiUserId(seller.client),
    memberId: await apiUserId(member.client),
    outsiderId: await apiUserId(outsider.client),
  };
}

export function post(s: Server, path: string, key: string | undefined, json: unknown): Promise<Response> {
  return s.client().post(`/api/v1/${path}`, { json, headers: key ? { authorization: `Bearer ${key}` } : {} });
}

/** The stored files of an owner (without bytes unless asked), by name. */
export async function storedFiles(ctx: AppContext, owner: { type: 'user' | 'team'; id: string }) {
  const rows = await ctx.db.selectFrom('flow_files').selectAll().where('owner_type', '=', owner.type).where('owner_id', '=', owner.id).orderBy('name').execute();
  return rows.map((r) => ({ ...r, content: Buffer.from(r.content), size: Number(r.size) }));
}

/** The files of a ZIP archive (stored entries, as download_files writes them), read from its central directory. */
export function readZip(zip: Buffer): { name: string; data: Buffer; crc: number }[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central header');
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (method !== 0) throw new Error(`entry ${name} is not stored`);
    const localName = zip.readUInt16LE(local + 26);
    const localExtra = zip.readUInt16LE(local + 28);
    const start = local + 30 + localName + localExtra;
    out.push({ name, data: zip.subarray(start, start + size), crc });
    at += 46 + nameLength + extra + comment;
  }
  return out;
}
