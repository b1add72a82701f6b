import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The one stylesheet, served under a content hash so browsers may cache it for a year. */
export const STYLESHEET = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'app.css'), 'utf8');
export const STYLESHEET_URL = `/static/app.${createHash('sha256').update(STYLESHEET).digest('hex').slice(0, 12)}.css`;
