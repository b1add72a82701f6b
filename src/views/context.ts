import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Intl_ } from '../platform/i18n.ts';
import { type Actor, rolesOf } from '../platform/policy.ts';

/** What every view gets: the reader's language, who they are, and a CSRF token for forms. */
export interface ViewContext {
  intl: Intl_;
  actor: Actor;
  csrf: string;
  /** Current path, for the language switcher to come back to. */
  path: string;
  /** A catalog key of a one-line confirmation to show (from ?done=…). */
  notice?: string | undefined;
  isConvener: boolean;
  /** Members of the network (not participants): they see the wider network. */
  isMember: boolean;
  /** Community members, who have a page of their own consultations, work and payments. */
  isParticipant: boolean;
  /** The organisation this person administers, for the navigation. */
  adminOf?: string | undefined;
}

function onlyOne<T>(items: readonly T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

/** The context of a page, from the request it answers. */
export function viewContext(req: FastifyRequest, reply: FastifyReply, notice?: string): ViewContext {
  const done = (req.query as Record<string, unknown> | undefined)?.done;
  const roles = rolesOf(req.actor);
  const noticeKey = notice ?? (typeof done === 'string' && /^[a-zA-Z]{1,40}$/.test(done) ? `notice.${done}` : undefined);
  return {
    intl: req.intl,
    actor: req.actor,
    csrf: reply.generateCsrf(),
    path: req.url.split('?')[0] ?? '/',
    notice: noticeKey && req.intl.t(noticeKey) !== noticeKey ? noticeKey : undefined,
    isConvener: roles.has('convener'),
    isParticipant: roles.has('participant'),
    isMember: roles.has('member') || roles.has('org_admin') || roles.has('associate') || roles.has('convener'),
    // One administered organisation gets a link in the navigation; with several, none is
    // picked for the person: /account links each of them.
    adminOf: req.actor.kind === 'person' ? onlyOne(req.actor.memberships.filter((m) => m.role === 'org_admin'))?.organisationId : undefined,
  };
}
