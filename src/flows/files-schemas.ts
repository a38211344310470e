import { Type } from 'typebox';
import { MAX_FILES_PER_REQUEST } from './files-service.js';

/** The file endpoints' bodies and answers (gumloop contract, decision 7; Gumloop's "File Handling" reference). */

const Id = Type.Union([Type.String(), Type.Number()]);
const who = {
  user_id: Type.Optional(Id),
  project_id: Type.Optional(Id),
  api_key: Type.Optional(Type.String({ description: 'The API key, when not in Authorization: Bearer.' })),
};
const FileName = Type.String({ description: 'A plain file name (no folder), 1 to 255 bytes.' });
const FileContent = Type.String({ description: 'The bytes, base64 (standard or URL-safe alphabet; line breaks and a data: prefix are accepted).' });

export const UploadFileBody = Type.Object({ file_name: FileName, file_content: FileContent, ...who });

export const UploadFilesBody = Type.Object({
  files: Type.Array(Type.Object({ file_name: FileName, file_content: FileContent }), { minItems: 1, maxItems: MAX_FILES_PER_REQUEST }),
  ...who,
});

export const DownloadFileBody = Type.Object({
  file_name: Type.Optional(FileName),
  run_id: Type.Optional(Type.String({ description: 'A run: the file that run wrote.' })),
  saved_item_id: Type.Optional(Type.String({ description: 'A flow: without run_id, the file its newest run of that name wrote.' })),
  ...who,
});

export const DownloadFilesBody = Type.Object({
  file_names: Type.Optional(Type.Array(FileName, { minItems: 1, maxItems: MAX_FILES_PER_REQUEST })),
  run_id: DownloadFileBody.properties.run_id,
  saved_item_id: DownloadFileBody.properties.saved_item_id,
  ...who,
});

export const UploadFileReply = Type.Object({ success: Type.Literal(true), file_name: Type.String() });
export const UploadFilesReply = Type.Object({ success: Type.Literal(true), uploaded_files: Type.Array(Type.String()) });
