import type { Intl_ } from '../platform/i18n.ts';
import type { Actor } from '../platform/policy.ts';

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
  /** The organisation this person administers, for the navigation. */
  adminOf?: string | undefined;
}
