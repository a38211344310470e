import { Type } from 'typebox';
import { TesseraError } from '../../http/errors.js';
import { fileNameProblem } from '../files-input.js';
import { decodeBase64 } from '../../util/base64.js';
import { storeFiles } from '../files-service.js';
import { flowSettings } from '../limits.js';
import { StepError, type StepType } from './step.js';

interface WriteParams {
  file_name: string;
  content: unknown;
  encoding?: 'text' | 'base64';
}

/**
 * Writes a file of the run (a CSV from export_sales, a response body, …): download_file with the
 * run's run_id and this file_name returns it. Text content is stored as UTF-8 (a value that is
 * not a string as JSON); base64 content as the bytes it encodes. A second write of one name in
 * a run replaces the first. Output {file_name, size}.
 */
export const writeFileStep: StepType = {
  type: 'write_file',
  summary: 'Write a file of this run (download_file returns it); output {file_name, size}',
  params: Type.Object({
    file_name: Type.String({ minLength: 1, maxLength: 1000 }),
    content: Type.Unknown({ description: 'A string (often "{{ steps.<id>.csv }}"); any other value is written as JSON.' }),
    encoding: Type.Optional(Type.Union([Type.Literal('text'), Type.Literal('base64')], { description: 'How content is given: text (the default) or base64.' })),
  }),
  async run(p: WriteParams, { ctx, run }) {
    const nameProblem = fileNameProblem(p.file_name);
    if (nameProblem) throw new StepError(nameProblem.replace(/\.$/, ''));
    const { maxFileBytes } = flowSettings(ctx).files;
    let bytes: Buffer;
    if (p.encoding === 'base64') {
      const decoded = decodeBase64(p.content, maxFileBytes, 'content');
      if ('problem' in decoded) throw new StepError(decoded.problem.replace(/\.$/, ''));
      bytes = decoded.bytes;
    } else {
      bytes = Buffer.from(typeof p.content === 'string' ? p.content : JSON.stringify(p.content ?? null));
    }
    try {
      await storeFiles(ctx, { owner: run.owner, runId: run.id, createdBy: run.userId, files: [{ name: p.file_name, bytes }] });
    } catch (err) {
      if (err instanceof TesseraError) throw new StepError(err.message.replace(/\.$/, ''));
      throw err;
    }
    return { output: { file_name: p.file_name, size: bytes.length }, summary: `wrote '${p.file_name}' (${bytes.length} bytes)` };
  },
};
