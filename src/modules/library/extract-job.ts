import { parentPort, workerData } from 'node:worker_threads';
import { extractText } from './files.ts';

/**
 * Runs one extraction off the main thread (files.ts `extractInWorker`): pdf.js and the unzip are
 * synchronous for long stretches, and a hostile file must not stall every request.
 */
const { mediaType, data } = workerData as { mediaType: string; data: Uint8Array };
extractText(mediaType, Buffer.from(data.buffer, data.byteOffset, data.byteLength)).then(
  (text) => parentPort?.postMessage({ ok: true, text }),
  (err: unknown) => parentPort?.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) }),
);
