import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The browser journeys first (test/e2e/journeys.test.ts, the longest file by far): the other
 * worker runs everything else meanwhile. Left to the default order (larger files first on a
 * fresh clone, which has no timings yet) the journeys' small file would start last, alone.
 */
class JourneysFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const journeys = (f: TestSpecification) => f.moduleId.endsWith('/e2e/journeys.test.ts');
    return [...sorted.filter(journeys), ...sorted.filter((f) => !journeys(f))];
  }
}

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more workers only queue on the CPU and on the database.
    maxWorkers: 2,
    sequence: { sequencer: JourneysFirst },
  },
});
