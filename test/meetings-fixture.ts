import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Db } from '../src/db/database.ts';
import type { MeetingsTable } from '../src/db/schema/meetings.ts';

/**
 * A meeting written straight into the database, for tests of the parts that come after one
 * exists (agenda, minutes, actions, ballots, calendars). Tests of convening itself go through
 * the pages and the service.
 */
export async function insertMeeting(
  db: Db,
  row: Partial<Insertable<MeetingsTable>> & { organisation_id: string; created_by: string },
): Promise<string> {
  const starts = row.starts_at ? new Date(row.starts_at) : new Date(Date.now() + 14 * 86_400_000);
  const values: Insertable<MeetingsTable> = {
    uid: randomUUID(),
    kind: 'other',
    title: 'Members’ meeting',
    audience: 'network',
    state: 'scheduled',
    scheduled_at: new Date(),
    ends_at: new Date(starts.getTime() + 2 * 3_600_000),
    ...row,
    starts_at: starts,
  };
  const { id } = await db.insertInto('meetings').values(values).returning('id').executeTakeFirstOrThrow();
  if (row.created_by) {
    await db.insertInto('meeting_roles').values({ meeting_id: id, person_id: row.created_by, role: 'chair', organisation_id: row.organisation_id, state: 'accepted', answered_at: new Date() }).execute();
  }
  return id;
}
