import { it } from 'vitest';
import { buildTestApp } from './helpers.ts';
import { buildWorld } from './world.ts';
it('world builds', async () => {
  const t = await buildTestApp();
  const s = Date.now();
  const w = await buildWorld(t);
  console.log('world ms', Date.now() - s, JSON.stringify(w.meetings.A));
  await t.close();
}, 300_000);
