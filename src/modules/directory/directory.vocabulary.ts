/**
 * The shared words of the directory: the ten activity types of the product brief, the
 * stakeholders organisations reach, and the bands for size and focus. Stored as these codes;
 * people read them from the catalogs (`activity.<code>`, `stakeholder.<code>`, …).
 */
export { ACTIVITIES, type Activity, STAKEHOLDERS, type Stakeholder } from '../../platform/vocabulary.ts';
import type { Activity, Stakeholder } from '../../platform/vocabulary.ts';

export const STAFF_SIZES = ['1-5', '6-10', '11-25', '26-100', '100+'] as const;
export type StaffSize = (typeof STAFF_SIZES)[number];

/** Share of the organisation's work that is on atrocity prevention. */
export const PREVENTION_SHARES = ['under-25', '25-50', '50-75', 'over-75'] as const;
export type PreventionShare = (typeof PREVENTION_SHARES)[number];

/**
 * Profile fields an organisation may mark members-only. The name is always public: without it
 * there is no directory entry.
 */
export const OPTIONAL_FIELDS = [
  'shortName',
  'mission',
  'website',
  'yearFounded',
  'staffSize',
  'countries',
  'activities',
  'stakeholders',
  'preventionShare',
  'languages',
  'diasporaLed',
  'contactEmail',
] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];

/** What a new profile hides from the public until its admin decides otherwise. */
export const DEFAULT_MEMBERS_ONLY: readonly OptionalField[] = ['staffSize', 'preventionShare'];

/** A whole organisation profile as the directory holds it. */
export interface OrganisationProfile {
  name: string;
  shortName: string | null;
  mission: string;
  website: string | null;
  yearFounded: number | null;
  staffSize: StaffSize | null;
  countries: string[];
  activities: Activity[];
  stakeholders: Stakeholder[];
  preventionShare: PreventionShare | null;
  languages: string[];
  diasporaLed: boolean | null;
  contactEmail: string | null;
  membersOnly: OptionalField[];
}
