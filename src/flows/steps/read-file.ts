import { Type } from 'typebox';
import { fileNameProblem } from '../files-input.js';
import { findFileForRun } from '../files-service.js';
import { StepError, type StepType } from './step.js';

interface ReadParams {
  file_name: string;
  encoding?: 'text' | 'base64';
}

/**
 * Reads a file into the run: one this run wrote (write_file), or else one the account or team
 * uploaded (upload_file; a flow input of type file names one). Output {file_name, size,
 * content_type, text} or, with encoding base64, {…, base64}.
 */
export const readFileStep: StepType = {
  type: 'read_file',
  summary: 'Read an uploaded file or one this run wrote; output {file_name, size, content_type, text | base64}',
  params: Type.Object({
    file_name: Type.String({ minLength: 1, maxLength: 1000, description: 'Usually "{{ inputs.<file input> }}".' }),
    encoding: Type.Optional(Type.Union([Type.Literal('text'), Type.Literal('base64')], { description: 'text (UTF-8, the default) or base64.' })),
  }),
  async run(p: ReadParams, { ctx, run }) {
    const problem = fileNameProblem(p.file_name);
    if (problem) throw new StepError(problem.replace(/\.$/, ''));
    const found = await findFileForRun(ctx.db, run.owner, run.id, p.file_name);
    if (!found) throw new StepError(`there is no file '${p.file_name}' (upload it with upload_file, or write it in an earlier step)`);
    const { file, bytes } = found;
    const content = p.encoding === 'base64' ? { base64: bytes.toString('base64') } : { text: bytes.toString('utf8') };
    return {
      output: { file_name: file.name, size: Number(file.size), content_type: file.content_type, ...content },
      summary: `read '${file.name}' (${Number(file.size)} bytes)`,
    };
  },
};
