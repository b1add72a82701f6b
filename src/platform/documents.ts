import type { FieldErrors } from './errors.ts';
import { safeFilename, UPLOAD_LIMIT_BYTES, type Upload } from './http.tsx';

/**
 * Uploaded documents (a sign's sources, a reply's attachment, a rating's evidence): the type is
 * decided by the content, not the name or the browser's word, and only these types are kept.
 * They are served back as downloads with a sandboxing CSP, never rendered in our origin.
 */
const DOCUMENT_TYPES: { mediaType: string; extensions: string[]; magic?: (b: Buffer) => boolean }[] = [
  { mediaType: 'application/pdf', extensions: ['pdf'], magic: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { mediaType: 'image/png', extensions: ['png'], magic: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'], magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    mediaType: 'text/plain; charset=utf-8',
    extensions: ['txt'],
    magic: (b) => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(b);
        return !b.includes(0);
      } catch {
        return false;
      }
    },
  },
];

export interface CheckedDocument {
  filename: string;
  mediaType: string;
  data: Buffer;
}

/** Checks the uploads of one form field; an empty file input (no name, no bytes) is no upload. */
export function checkUploads(uploads: readonly Upload[], opts: { max: number; field: string }): { documents: CheckedDocument[]; errors: FieldErrors } {
  const documents: CheckedDocument[] = [];
  const real = uploads.filter((u) => u.filename !== '' || u.data.length > 0);
  if (real.length > opts.max) return { documents, errors: { [opts.field]: { key: 'errors.tooMany', values: { limit: opts.max } } } };
  for (const u of real) {
    const name = safeFilename(u.filename, 'document');
    if (u.truncated) return { documents, errors: { [opts.field]: { key: 'errors.documentTooLarge', values: { name, max: UPLOAD_LIMIT_BYTES / 1024 / 1024 } } } };
    const ext = name.toLowerCase().split('.').pop() ?? '';
    const type = DOCUMENT_TYPES.find((t) => t.extensions.includes(ext));
    if (!type || u.data.length === 0 || (type.magic && !type.magic(u.data))) return { documents, errors: { [opts.field]: { key: 'errors.documentType', values: { name } } } };
    documents.push({ filename: name, mediaType: type.mediaType, data: u.data });
  }
  return { documents, errors: {} };
}
