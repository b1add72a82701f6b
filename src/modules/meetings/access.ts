import type { Db } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { type Actor, memberOrganisations, type PersonActor, rolesOf } from '../../platform/policy.ts';
import * as repo from './access.repository.ts';
import type { MeetingRow, Reader } from './access.repository.ts';

export type { MeetingRow, Reader } from './access.repository.ts';

/**
 * What one reader may do with one meeting, decided from the record (ADR 0020):
 * - a draft is seen only by whoever made it and the people named to chair it or take its
 *   minutes (so that they can decide whether to accept);
 * - once scheduled (or cancelled), by its audience: the whole network (staff of member and
 *   associate organisations, associates, the convener), member organisations' staff, staff of
 *   the organisations named, associates, or the members of one community; the convener sees
 *   every scheduled meeting; chairs and the minute-taker always;
 * - a publicly listed meeting's public details (no online link, no attendance) by anyone.
 * Anyone else gets 404, as if it did not exist. `visibleTo` in access.repository.ts is the same
 * rule in SQL, for lists and calendar feeds.
 */
export interface MeetingAccess {
  meeting: MeetingRow;
  /** Sees what invitees see: the online link, the agenda once published, who comes. */
  invited: boolean;
  /** Made it, or an accepted chair: edits it, invites, accepts agenda items, checks people in. */
  organiser: boolean;
  /** An accepted chair. */
  chair: boolean;
  /** The accepted minute-taker. */
  minuteTaker: boolean;
  /** Roles the reader was offered and has not answered. */
  offeredRoles: ('chair' | 'minute_taker')[];
  /** Only the public details of a publicly listed meeting. */
  publicOnly: boolean;
  /** The reader's organisations among those named or invited. */
  invitedOrganisations: string[];
  convener: boolean;
}

/** Who a reader is for the meetings' rules (also the input of `visibleTo` for lists). */
export function readerOf(actor: Actor): Reader {
  if (actor.kind !== 'person') return { personId: undefined, audiences: [], organisationIds: [], convener: false };
  const roles = rolesOf(actor);
  const audiences: Reader['audiences'] = [];
  const member = roles.has('member') || roles.has('org_admin');
  if (member || roles.has('associate') || roles.has('convener')) audiences.push('network');
  if (member) audiences.push('members');
  if (roles.has('associate')) audiences.push('associates');
  return { personId: actor.id, audiences, organisationIds: actor.memberships.map((m) => m.organisationId), convener: roles.has('convener') };
}

export async function meetingAccess(db: Db, actor: Actor, id: string): Promise<MeetingAccess> {
  const meeting = await repo.findMeeting(db, id);
  if (!meeting) throw AppError.notFound();
  const access = await accessTo(db, actor, meeting);
  if (!access) throw AppError.notFound();
  return access;
}

/** As `meetingAccess`, for a meeting already read (e.g. locked in a transaction). */
export async function accessTo(db: Db, actor: Actor, meeting: MeetingRow): Promise<MeetingAccess | undefined> {
  const reader = readerOf(actor);
  const person = actor.kind === 'person' ? actor : undefined;
  const [roles, named] = await Promise.all([
    person ? repo.rolesIn(db, meeting.id, person.id) : Promise.resolve([]),
    meeting.audience === 'organisations' ? repo.invitedOrganisations(db, meeting.id) : Promise.resolve([]),
  ]);
  // A role held for an organisation lasts while the person is on its staff, and making a meeting
  // in an organisation's name makes one its organiser while one is: someone who leaves (or is
  // removed) keeps no hand on that organisation's meetings (minutes.repository minutesReadableBy
  // is the same rule in SQL).
  const current = (organisationId: string | null) => organisationId === null || reader.organisationIds.includes(organisationId);
  const chair = roles.some((r) => r.role === 'chair' && r.state === 'accepted' && current(r.organisation_id));
  const minuteTaker = roles.some((r) => r.role === 'minute_taker' && r.state === 'accepted' && current(r.organisation_id));
  const offeredRoles = roles.filter((r) => r.state === 'invited').map((r) => r.role);
  const organiser = !!person && ((meeting.created_by === person.id && current(meeting.organisation_id)) || chair);
  const invitedOrganisations = named.filter((id) => reader.organisationIds.includes(id));
  const base = { meeting, organiser, chair, minuteTaker, offeredRoles, invitedOrganisations, convener: reader.convener };
  if (organiser || minuteTaker || offeredRoles.length > 0) return { ...base, invited: true, publicOnly: false };
  if (meeting.state === 'draft') return undefined;
  let invited = reader.convener;
  if (!invited && person) {
    if (meeting.audience === 'network' || meeting.audience === 'members' || meeting.audience === 'associates') invited = reader.audiences.includes(meeting.audience);
    else if (meeting.audience === 'organisations') invited = invitedOrganisations.length > 0;
    else if (meeting.community_id) invited = await repo.inCommunity(db, meeting.community_id, person.id);
  }
  if (invited) return { ...base, invited: true, publicOnly: false };
  if (meeting.listed_publicly) return { ...base, invited: false, publicOnly: true };
  return undefined;
}

/** Invitees only; the public and everyone else get 404 (a meeting's inside is not public). */
export function assertInvited(access: MeetingAccess): void {
  if (!access.invited) throw AppError.notFound();
}

/** Organisers only; 404 for everyone else, as for the statements' owners. */
export function assertOrganiser(access: MeetingAccess): void {
  if (!access.invited || !access.organiser) throw AppError.notFound();
}

/** The organisations a person may reply or act for at this meeting: member organisations. */
export function organisationsOf(person: PersonActor): string[] {
  return memberOrganisations(person).map((m) => m.organisationId);
}
