import { definePolicy, SIGNED_IN } from '../../platform/policy.ts';

/**
 * Meetings, goals and actions. Who sees one meeting (and so its agenda, minutes, decisions and
 * actions) is decided per record by access.ts from its audience; these rules say only which
 * kinds of people may try at all. Anything not declared is denied.
 */
export const meetingsPolicy = definePolicy('meetings', {
  // Reading the network's meetings, replying, proposing agenda items, correcting minutes: anyone
  // signed in, then per record (an invitee of that meeting only).
  attend: [...SIGNED_IN],
  // Convening: staff of member organisations and the convener, in an organisation's name.
  convene: ['member', 'org_admin', 'convener'],
  // Actions and goals are the network's work: its members and the convener keep them.
  act: ['member', 'org_admin', 'convener'],
  goals: ['member', 'org_admin', 'convener'],
  // One vote per member organisation at an AGM: its admin, or the person it delegated.
  vote: ['member', 'org_admin'],
  // The self-care and mutual support page is the convener's to keep.
  support: ['convener'],
  // A personal calendar feed: anyone signed in.
  calendar: [...SIGNED_IN],
});
