/** Reading HTML form bodies (urlencoded or multipart with fields attached as values). */
export type FormBody = Record<string, unknown>;

export function formOf(body: unknown): FormBody {
  return body && typeof body === 'object' && !Buffer.isBuffer(body) ? (body as FormBody) : {};
}

/** A text field, trimmed; '' when absent or not text. */
export function text(form: FormBody, name: string): string {
  const value = form[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0].trim() : '';
  return typeof value === 'string' ? value.trim() : '';
}

/** Every value of a repeated field (checkboxes). */
export function list(form: FormBody, name: string): string[] {
  const value = form[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string' && v !== '');
}

/** An uploaded file's bytes, or undefined when no file was chosen. */
export function file(form: FormBody, name: string): Buffer | undefined {
  const value = form[name];
  return Buffer.isBuffer(value) && value.length > 0 ? value : undefined;
}

/** A checkbox: on when present with any value. */
export function checked(form: FormBody, name: string): boolean {
  return form[name] !== undefined && form[name] !== '';
}
