import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import type { Executor } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { TesseraError } from '../http/errors.js';
import { newPublicId } from '../util/ids.js';
import type { FlowDefinition } from './definition.js';
import { contentTypeFor, fileNameProblem } from './files-input.js';
import { decodeBase64 } from '../util/base64.js';
import * as files from './files-store.js';
import { flowSettings } from './limits.js';
import * as runs from './runs-store.js';
import * as flows from './store.js';
import type { Owner } from './store.js';
import type { FlowFileRow } from './tables.js';
import { DAY_MS } from '../util/dates.js';

/** A file about to be stored: a checked name and its bytes. */
export interface NewFile {
  name: string;
  bytes: Buffer;
}

export type FileMeta = Omit<FlowFileRow, 'content'>;


/** Most files one upload_files or download_files request may name. */
export const MAX_FILES_PER_REQUEST = 50;

function badRequest(message: string): TesseraError {
  return new TesseraError('GUMLOOP_BAD_REQUEST', message);
}

/**
 * One `{file_name, file_content}` of upload_file / upload_files: a plain name and base64 bytes
 * within `budget` (what the request may still carry). 400 for a bad name or bad base64, 413 when too big.
 */
export function parseUpload(item: { file_name?: unknown; file_content?: unknown }, budget: number, where = ''): NewFile {
  const nameProblem = fileNameProblem(item.file_name, `${where}file_name`);
  if (nameProblem) throw badRequest(nameProblem);
  const decoded = decodeBase64(item.file_content, budget, `${where}file_content`);
  if ('problem' in decoded) {
    if (decoded.tooLarge) throw new TesseraError('GUMLOOP_PAYLOAD_TOO_LARGE', `${decoded.problem.replace(/\.$/, '')} (${where}file_name '${item.file_name as string}').`);
    throw badRequest(decoded.problem);
  }
  return { name: item.file_name as string, bytes: decoded.bytes };
}

/**
 * Stores files of one owner, uploaded (`runId` null) or written by a run, replacing those of the
 * same name, in one transaction: all are stored or none. Run files past their retention are
 * deleted first; then the owner's total must stay within its storage limit (413 otherwise).
 */
export async function storeFiles(ctx: AppContext, input: { owner: Owner; runId: string | null; createdBy: string; files: NewFile[]; actor?: Actor }): Promise<void> {
  const settings = flowSettings(ctx).files;
  for (const file of input.files) {
    if (file.bytes.length > settings.maxFileBytes) throw new TesseraError('GUMLOOP_PAYLOAD_TOO_LARGE', `The file '${file.name}' is larger than the limit of ${settings.maxFileBytes} bytes.`);
  }
  const write = () =>
    ctx.db.transaction().execute(async (trx) => {
      await files.lockOwnerFiles(trx, ctx.dialect, input.owner);
      const now = Date.now();
      await files.deleteRunFilesBefore(trx, input.owner, now - settings.runFileDays * DAY_MS);
      let total = await files.totalSize(trx, input.owner);
      for (const file of input.files) {
        const replaced = await files.findReplaced(trx, input.owner, input.runId, file.name);
        total += file.bytes.length - Number(replaced?.size ?? 0);
        if (total > settings.maxOwnerBytes) {
          throw new TesseraError('GUMLOOP_PAYLOAD_TOO_LARGE', `Storing '${file.name}' would bring the files of this ${input.owner.type === 'team' ? 'team' : 'account'} to ${total} bytes, over the limit of ${settings.maxOwnerBytes} bytes.`);
        }
        const values = { content: file.bytes, content_type: contentTypeFor(file.name), size: file.bytes.length, created_by: input.createdBy, updated_at: now };
        let id = replaced?.id;
        if (id) await files.replaceContent(trx, id, values);
        else {
          id = newPublicId(22);
          await files.insertFile(trx, { id, owner_type: input.owner.type, owner_id: input.owner.id, run_id: input.runId, name: file.name, created_at: now, ...values });
        }
        if (input.actor) {
          await recordAudit(trx, {
            actor: input.actor,
            userId: input.createdBy || null,
            action: 'flow_file.uploaded',
            target: { type: 'flow_file', id },
            metadata: { name: file.name, size: file.bytes.length, owner: input.owner, replaced: replaced !== undefined },
          });
        }
      }
    });
  try {
    await write();
  } catch (err) {
    // Two processes stored a new file of one name at once (SQLite takes no owner lock): the
    // unique index kept one; writing again replaces it, as a later upload would.
    if (!isUniqueViolation(err)) throw err;
    await write();
  }
}

/** Where download_file looks: a run's files, the newest of a flow's runs, or the owner's uploads. */
export interface FileSource {
  runId?: string;
  flowId?: string;
}

/**
 * The files `names` of an owner, in the order asked, without their bytes. A run or flow of
 * another owner reads as missing (404), and so does a file it does not have.
 */
export async function findFiles(db: Executor, owner: Owner, source: FileSource, names: string[]): Promise<FileMeta[]> {
  for (const name of names) {
    const problem = fileNameProblem(name);
    if (problem) throw badRequest(problem);
  }
  let found: FileMeta[];
  if (source.runId !== undefined) {
    const run = await runs.findRun(db, owner, source.runId);
    if (!run || (source.flowId !== undefined && run.flow_id !== source.flowId)) throw new TesseraError('GUMLOOP_NOT_FOUND', 'Run not found.');
    found = await files.findRunFiles(db, owner, run.id, names);
  } else if (source.flowId !== undefined) {
    if (!(await flows.findFlow(db, owner, source.flowId))) throw new TesseraError('GUMLOOP_NOT_FOUND', 'Saved item not found.');
    found = await files.findNewestFlowFiles(db, owner, source.flowId, names);
  } else {
    found = await files.findUploads(db, owner, names);
  }
  const byName = new Map(found.map((f) => [f.name, f]));
  return names.map((name) => {
    const file = byName.get(name);
    if (!file) throw new TesseraError('GUMLOOP_NOT_FOUND', `File not found: '${name}'.`);
    return file;
  });
}

export async function readFileContent(db: Executor, file: FileMeta): Promise<Buffer> {
  const bytes = await files.readContent(db, file.id);
  if (!bytes) throw new TesseraError('GUMLOOP_NOT_FOUND', `File not found: '${file.name}'.`);
  return bytes;
}

/**
 * Inputs of `data_type` file (gumloop contract, decision 7): each value names a file the owner
 * uploaded (upload_file) before the run starts; a missing one is a 400 naming the input.
 */
export async function checkFileInputs(db: Executor, owner: Owner, definition: FlowDefinition, inputs: Record<string, unknown>): Promise<void> {
  const wanted: { input: string; name: string }[] = [];
  for (const input of definition.inputs ?? []) {
    if (input.type !== 'file') continue;
    const value = inputs[input.name];
    if (value === null || value === undefined) continue;
    const problem = fileNameProblem(value, `file name of the input '${input.name}'`);
    if (problem) throw new TesseraError('FLOW_INPUT_INVALID', problem);
    wanted.push({ input: input.name, name: value as string });
  }
  if (wanted.length === 0) return;
  const present = new Set((await files.findUploads(db, owner, wanted.map((w) => w.name))).map((f) => f.name));
  const missing = wanted.find((w) => !present.has(w.name));
  if (missing) throw new TesseraError('FLOW_INPUT_INVALID', `The input '${missing.input}' names the file '${missing.name}', which was not uploaded (POST /api/v1/upload_file).`);
}

/** A file a step of the run may read: the run's own first, then the owner's uploads. */
export async function findFileForRun(db: Executor, owner: Owner, runId: string, name: string): Promise<{ file: FileMeta; bytes: Buffer } | undefined> {
  const [own] = await files.findRunFiles(db, owner, runId, [name]);
  const file = own ?? (await files.findUpload(db, owner, name));
  if (!file) return undefined;
  const bytes = await files.readContent(db, file.id);
  return bytes ? { file, bytes } : undefined;
}
