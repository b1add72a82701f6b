// The worker thread's entry (files.ts `extractInWorker`). A worker does not inherit the loader
// the server starts with, so it registers tsx itself before loading the TypeScript that works.
import { register } from 'tsx/esm/api';

register();
await import('./extract-job.ts');
