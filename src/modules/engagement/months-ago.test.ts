import { describe, expect, it } from 'vitest';
import { monthsAgo } from './communities.service.ts';

/** Issue 16, item 10: "the last N months" of a community's consultations start on the right day. */
describe('months ago', () => {
  const day = (iso: string) => monthsAgo(1, new Date(`${iso}T10:00:00Z`)).toISOString().slice(0, 10);

  it('is the last day of a shorter month, not a day of the month after it', () => {
    expect(day('2026-03-31')).toBe('2026-02-28');
    expect(day('2028-03-31')).toBe('2028-02-29');
    expect(day('2026-05-31')).toBe('2026-04-30');
    expect(monthsAgo(12, new Date('2028-02-29T10:00:00Z')).toISOString().slice(0, 10)).toBe('2027-02-28');
  });

  it('is the same day when the month has it, across a year, and keeps the time', () => {
    expect(day('2026-03-15')).toBe('2026-02-15');
    expect(monthsAgo(3, new Date('2026-01-31T10:00:00Z')).toISOString()).toBe('2025-10-31T10:00:00.000Z');
  });
});
