import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../auth/plugin.js';
import { TesseraError } from '../http/errors.js';
import { mergedParams } from '../http/params.js';
import type { FlowCaller } from '../apikeys/authenticate.js';
import { asGumloopError, requireFlowKey } from './gumloop-auth.js';
import { attachmentHeader } from './files-input.js';
import { DownloadFileBody, DownloadFilesBody, UploadFileBody, UploadFileReply, UploadFilesBody, UploadFilesReply } from './files-schemas.js';
import { MAX_FILES_PER_REQUEST, findFiles, parseUpload, readFileContent, storeFiles, type FileSource, type NewFile } from './files-service.js';
import { zipArchive } from './files-zip.js';
import { flowSettings } from './limits.js';

const tags = ['Flows API (Gumloop-compatible)'];

/** Runs a handler and re-expresses its failures in the Gumloop body shape. */
function gumloop<T>(handler: (request: FastifyRequest, caller: FlowCaller, reply: FastifyReply) => Promise<T>) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<T> => {
    try {
      return await handler(request, request.flowCaller!, reply);
    } catch (err) {
      throw asGumloopError(err);
    }
  };
}

function optionalString(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new TesseraError('GUMLOOP_BAD_REQUEST', `The '${name}' parameter must be a string.`);
  return value;
}

function source(params: Record<string, unknown>): FileSource {
  return { runId: optionalString(params, 'run_id'), flowId: optionalString(params, 'saved_item_id') };
}

/** Headers of a download: never sniffed, rendered or cached by a browser. */
function downloadHeaders(reply: FastifyReply, type: string, name: string): void {
  reply
    .type(type)
    .header('content-disposition', attachmentHeader(name))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'no-store');
}

/**
 * upload_file, upload_files, download_file and download_files (gumloop contract, decision 7),
 * under /api/v1 like the other Gumloop routes. Files belong to the account or team the key acts
 * for (decision 2: a team key with project_id alone acts as its team); anyone else's file, run
 * or flow answers 404 as if it did not exist.
 */
export const fileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  const { maxFileBytes } = flowSettings(ctx).files;
  // The base64 of one file at the limit, and room for names and the rest of the JSON.
  const bodyLimit = Math.ceil(maxFileBytes / 3) * 4 + 64 * 1024 + MAX_FILES_PER_REQUEST * 1024;
  const asOwner = { projectSuffices: true };

  const actor = (request: FastifyRequest, caller: FlowCaller) => ({ ...actorOf(request), type: 'api_key' as const, id: caller.keyId });

  app.post('/upload_file', {
    bodyLimit,
    schema: { tags, summary: 'Upload a file (base64) for flows to read; a file of the same name is replaced', body: UploadFileBody, response: { 200: UploadFileReply } },
    preValidation: requireFlowKey('flows:run', asOwner),
    handler: gumloop(async (request, caller) => {
      const file = parseUpload(request.body as Record<string, unknown>, maxFileBytes);
      await storeFiles(ctx, { owner: caller.owner, runId: null, createdBy: caller.userId, files: [file], actor: actor(request, caller) });
      return { success: true as const, file_name: file.name };
    }),
  });

  app.post('/upload_files', {
    bodyLimit,
    schema: { tags, summary: 'Upload several files at once: all are stored or none', body: UploadFilesBody, response: { 200: UploadFilesReply } },
    preValidation: requireFlowKey('flows:run', asOwner),
    handler: gumloop(async (request, caller) => {
      const items = (request.body as { files: Record<string, unknown>[] }).files;
      const parsed: NewFile[] = [];
      let budget = maxFileBytes;
      for (const [i, item] of items.entries()) {
        const file = parseUpload(item, budget, `files[${i}].`);
        if (parsed.some((p) => p.name === file.name)) throw new TesseraError('GUMLOOP_BAD_REQUEST', `The file name '${file.name}' is given twice.`);
        budget -= file.bytes.length;
        parsed.push(file);
      }
      await storeFiles(ctx, { owner: caller.owner, runId: null, createdBy: caller.userId, files: parsed, actor: actor(request, caller) });
      return { success: true as const, uploaded_files: parsed.map((f) => f.name) };
    }),
  });

  app.post('/download_file', {
    schema: { tags, summary: "A file's bytes: one uploaded, or one a run (run_id) or a flow's newest run (saved_item_id) wrote", body: DownloadFileBody },
    preValidation: requireFlowKey('flows:read', asOwner),
    handler: gumloop(async (request, caller, reply) => {
      const params = mergedParams(request);
      const name = optionalString(params, 'file_name');
      if (name === undefined) throw new TesseraError('GUMLOOP_BAD_REQUEST', "The 'file_name' parameter is required.");
      const [file] = await findFiles(ctx.db, caller.owner, source(params), [name]);
      const bytes = await readFileContent(ctx.db, file!);
      downloadHeaders(reply, file!.content_type, file!.name);
      return reply.send(bytes);
    }),
  });

  app.post('/download_files', {
    schema: { tags, summary: 'Several files as one ZIP archive', body: DownloadFilesBody },
    preValidation: requireFlowKey('flows:read', asOwner),
    handler: gumloop(async (request, caller, reply) => {
      const params = mergedParams(request);
      const given = typeof params.file_names === 'string' ? [params.file_names] : params.file_names;
      if (!Array.isArray(given) || given.length === 0) throw new TesseraError('GUMLOOP_BAD_REQUEST', "The 'file_names' parameter is required: a list of file names.");
      if (given.length > MAX_FILES_PER_REQUEST) throw new TesseraError('GUMLOOP_BAD_REQUEST', `At most ${MAX_FILES_PER_REQUEST} files can be downloaded at once.`);
      if (given.some((n) => typeof n !== 'string')) throw new TesseraError('GUMLOOP_BAD_REQUEST', "Each of 'file_names' must be a string.");
      const names = [...new Set(given as string[])];
      const found = await findFiles(ctx.db, caller.owner, source(params), names);
      downloadHeaders(reply, 'application/zip', 'files.zip');
      const entries = found.map((file) => ({ name: file.name, modifiedAt: file.updated_at, read: () => readFileContent(ctx.db, file) }));
      return reply.send(Readable.from(zipArchive(entries)));
    }),
  });
};
