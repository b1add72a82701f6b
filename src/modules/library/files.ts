import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { unzipSync } from 'fflate';
import { fileTypeFromBuffer } from 'file-type';
import { Parser } from 'htmlparser2';
import { AppError } from '../../platform/errors.ts';
import { safeFilename, type Upload } from '../../platform/http.tsx';

/**
 * A library file (ADR 0022): a PDF, an EPUB, audio or an image. Its type is decided from its
 * bytes (file-type), and must agree with its name; images are decoded and written again
 * without their metadata (sharp), so a photo's EXIF GPS position, camera serial and the like are
 * never stored. Text is extracted from PDFs (pdf.js) and EPUBs (fflate + htmlparser2) in a job.
 */
export const LIBRARY_FILE_LIMIT = 20 * 1024 * 1024;
const IMAGE_LIMIT = 8 * 1024 * 1024;
/** The characters of extracted text kept for search and passages: about a 100-page report. */
export const EXTRACTED_TEXT_LIMIT = 200_000;
/** Pixels an image may have when decoded: a small file must not unpack into gigabytes. */
const MAX_PIXELS = 40_000_000;

type Family = 'document' | 'audio' | 'image';
/** The types kept, by file-type's extension, with the names a file of that type may have. */
const TYPES: Record<string, { family: Family; mediaType: string; extensions: string[] }> = {
  pdf: { family: 'document', mediaType: 'application/pdf', extensions: ['pdf'] },
  epub: { family: 'document', mediaType: 'application/epub+zip', extensions: ['epub'] },
  mp3: { family: 'audio', mediaType: 'audio/mpeg', extensions: ['mp3'] },
  ogg: { family: 'audio', mediaType: 'audio/ogg', extensions: ['ogg', 'oga'] },
  opus: { family: 'audio', mediaType: 'audio/ogg', extensions: ['opus', 'ogg', 'oga'] },
  oga: { family: 'audio', mediaType: 'audio/ogg', extensions: ['oga', 'ogg'] },
  m4a: { family: 'audio', mediaType: 'audio/mp4', extensions: ['m4a'] },
  wav: { family: 'audio', mediaType: 'audio/wav', extensions: ['wav'] },
  flac: { family: 'audio', mediaType: 'audio/flac', extensions: ['flac'] },
  jpg: { family: 'image', mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  png: { family: 'image', mediaType: 'image/png', extensions: ['png'] },
  webp: { family: 'image', mediaType: 'image/webp', extensions: ['webp'] },
};
export const ACCEPTED_EXTENSIONS = [...new Set(Object.values(TYPES).flatMap((t) => t.extensions))].map((e) => `.${e}`).join(',');

export interface LibraryFile {
  filename: string;
  mediaType: string;
  family: Family;
  data: Buffer;
  sha256: string;
}

const refuse = (key: string, values: Record<string, string | number>) => AppError.field('file', key, values);

/** The upload checked and made safe to keep, or a field error on `file` that says what is wrong. */
export async function checkLibraryFile(upload: Upload): Promise<LibraryFile> {
  const name = safeFilename(upload.filename, 'file');
  if (upload.truncated || upload.data.length > LIBRARY_FILE_LIMIT) throw refuse('errors.libraryFileTooLarge', { name, max: LIBRARY_FILE_LIMIT / 1024 / 1024 });
  if (upload.data.length === 0) throw refuse('errors.libraryFileEmpty', { name });
  const detected = await fileTypeFromBuffer(upload.data);
  const type = detected ? TYPES[detected.ext] : undefined;
  const ext = name.includes('.') ? (name.toLowerCase().split('.').pop() ?? '') : '';
  if (!type) throw refuse('errors.libraryFileType', { name });
  // A file whose name says one thing and whose bytes another is refused, not renamed: the
  // person may have picked the wrong file.
  if (!type.extensions.includes(ext)) throw refuse('errors.libraryFileMismatch', { name, type: type.extensions[0] ?? '' });
  let data = upload.data;
  if (type.family === 'image') {
    if (data.length > IMAGE_LIMIT) throw refuse('errors.libraryFileTooLarge', { name, max: IMAGE_LIMIT / 1024 / 1024 });
    data = await withoutMetadata(data, name);
  }
  return { filename: name, mediaType: type.mediaType, family: type.family, data, sha256: createHash('sha256').update(data).digest('hex') };
}

/**
 * The image decoded and written again in its own format. sharp keeps no metadata unless asked
 * (no EXIF, GPS, XMP, IPTC or ICC beyond sRGB); `rotate()` first applies the EXIF orientation, so
 * a phone photo is not shown sideways once its orientation tag is gone.
 */
async function withoutMetadata(data: Buffer, name: string): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  try {
    return await sharp(data, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate().toBuffer();
  } catch {
    throw refuse('errors.libraryFileBroken', { name });
  }
}

// ---- text extraction (in a job) -----------------------------------------------------------

/** How long one file may take to read, and the heap it may use, before it counts as unreadable. */
const EXTRACT_TIMEOUT_MS = 60_000;
const EXTRACT_HEAP_MB = 384;

/**
 * `extractText` in a worker thread with a time and memory limit: a file built to make pdf.js spin
 * or to unpack into gigabytes fails on its own, and the server goes on answering meanwhile.
 */
export function extractInWorker(mediaType: string, data: Buffer): Promise<string | undefined> {
  const worker = new Worker(new URL('./extract-worker.mjs', import.meta.url), {
    workerData: { mediaType, data },
    resourceLimits: { maxOldGenerationSizeMb: EXTRACT_HEAP_MB },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error('text extraction timed out'));
    }, EXTRACT_TIMEOUT_MS);
    worker.once('message', (m: { ok: boolean; text?: string; message?: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (m.ok) resolve(m.text);
      else reject(new Error(m.message ?? 'text extraction failed'));
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`text extraction stopped (${code})`));
    });
  });
}

/** The text of a PDF or EPUB for search, or undefined for a file without text (audio, image). */
export async function extractText(mediaType: string, data: Buffer): Promise<string | undefined> {
  const text = mediaType === 'application/pdf' ? await pdfText(data) : mediaType === 'application/epub+zip' ? epubText(data) : undefined;
  if (text === undefined) return undefined;
  // NFKC turns Arabic presentation forms (what PDFs often hold) into the letters people type.
  return text
    .normalize('NFKC')
    .replace(/(?![\n\t])\p{Cc}/gu, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .slice(0, EXTRACTED_TEXT_LIMIT);
}

const RTL = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/gu;
const LETTER = /\p{L}/gu;
const MAX_PAGES = 500;

interface TextItem {
  str: string;
  hasEOL: boolean;
  transform: number[];
}

/**
 * pdf.js gives a page's text as runs with positions. A right-to-left line (Arabic) often comes
 * in visual order, run by run: sorting its runs from right to left gives the order it is read
 * in. Left-to-right lines keep pdf.js's order.
 */
async function pdfText(data: Buffer): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(data), isEvalSupported: false, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  try {
    const lines: string[] = [];
    let length = 0;
    for (let n = 1; n <= Math.min(doc.numPages, MAX_PAGES) && length < EXTRACTED_TEXT_LIMIT; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let line: TextItem[] = [];
      const flush = () => {
        if (line.length === 0) return;
        const joined = line.map((i) => i.str).join('');
        const right = (joined.match(RTL) ?? []).length;
        const rtl = right > (joined.match(LETTER) ?? []).length - right;
        const ordered = rtl ? [...line].sort((a, b) => (b.transform[4] ?? 0) - (a.transform[4] ?? 0)) : line;
        const text = ordered.map((i) => i.str).join('');
        lines.push(text);
        length += text.length;
        line = [];
      };
      for (const raw of content.items) {
        if (!('str' in raw)) continue;
        const item = raw as TextItem;
        const previous = line.at(-1);
        // A new line where the baseline moves by more than half a line.
        if (previous && Math.abs((previous.transform[5] ?? 0) - (item.transform[5] ?? 0)) > 4) flush();
        line.push(item);
        if (item.hasEOL) flush();
      }
      flush();
      lines.push('');
      page.cleanup();
    }
    return lines.join('\n');
  } finally {
    await doc.destroy();
  }
}

/** An EPUB's chapters in reading order (its spine), as text. */
function epubText(data: Buffer): string {
  let total = 0;
  // A zip bomb must not unpack: no entry or sum of entries beyond the file limit.
  const files = unzipSync(new Uint8Array(data), {
    filter: (f) => {
      total += f.originalSize;
      return f.originalSize <= LIBRARY_FILE_LIMIT && total <= 4 * LIBRARY_FILE_LIMIT && /\.(xhtml|html|htm|opf|xml)$/i.test(f.name);
    },
  });
  const read = (path: string) => {
    const bytes = files[path];
    return bytes ? new TextDecoder().decode(bytes) : undefined;
  };
  const container = read('META-INF/container.xml') ?? '';
  const opfPath = attribute(container, 'rootfile', 'full-path');
  const opf = opfPath ? read(opfPath) : undefined;
  const base = opfPath?.includes('/') ? opfPath.slice(0, opfPath.lastIndexOf('/') + 1) : '';
  let order: string[] = [];
  if (opf) {
    const manifest = new Map<string, string>();
    const spine: string[] = [];
    const parser = new Parser(
      {
        onopentag(name, attrs) {
          const tag = name.toLowerCase().replace(/^.*:/, '');
          if (tag === 'item' && attrs.id && attrs.href) manifest.set(attrs.id, base + decodeURIComponent(attrs.href));
          if (tag === 'itemref' && attrs.idref) spine.push(attrs.idref);
        },
      },
      { xmlMode: true },
    );
    parser.end(opf);
    order = spine.map((id) => manifest.get(id)).filter((p): p is string => p !== undefined);
  }
  if (order.length === 0) order = Object.keys(files).filter((f) => /\.(xhtml|html|htm)$/i.test(f)).sort();
  return order
    .map((path) => htmlText(read(path) ?? ''))
    .filter(Boolean)
    .join('\n\n');
}

function attribute(xml: string, tag: string, name: string): string | undefined {
  let value: string | undefined;
  const parser = new Parser({ onopentag: (t, attrs) => { if (value === undefined && t.toLowerCase().endsWith(tag)) value = attrs[name]; } }, { xmlMode: true });
  parser.end(xml);
  return value;
}

const BLOCKS = new Set(['p', 'div', 'br', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'section', 'blockquote']);

/** The text of an (X)HTML chapter: no script or style, blocks on lines of their own. */
function htmlText(html: string): string {
  const out: string[] = [];
  let skip = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'script' || name === 'style' || name === 'head') skip++;
        if (BLOCKS.has(name)) out.push('\n');
      },
      ontext(text) {
        if (skip === 0) out.push(text);
      },
      onclosetag(name) {
        if (name === 'script' || name === 'style' || name === 'head') skip--;
        if (BLOCKS.has(name)) out.push('\n');
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html);
  return out.join('').replace(/[ \t]*\n[ \t\n]*/g, '\n').trim();
}
