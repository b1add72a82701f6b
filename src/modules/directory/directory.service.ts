import type { Transaction } from 'kysely';
import type { DB, OrganisationStatus, OrgRole } from '../../db/schema.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { isCountryCode } from '../../platform/countries.ts';
import { newToken, sha256 } from '../../platform/crypto.ts';
import { AppError, type FieldErrors } from '../../platform/errors.ts';
import { isSupportedLocale, translator } from '../../platform/i18n.ts';
import { isLanguageCode } from '../../platform/languages.ts';
import { markdownToText } from '../../platform/markdown.ts';
import { type Actor, type PersonActor, rolesOf } from '../../platform/policy.ts';
import { foldForSearch } from '../../platform/search-text.ts';
import * as accountsRepo from '../accounts/accounts.repository.ts';
import type { AccountsService } from '../accounts/accounts.service.ts';
import { administers, directoryPolicy } from './directory.policy.ts';
import * as repo from './directory.repository.ts';
import * as invitationsRepo from './membership.repository.ts';
import type { Audience, Dimension, Filters, OrganisationRow } from './directory.repository.ts';
import type { DirectoryQuery, Leave, ProfileInput, StaffInvite, StatusChange } from './directory.schemas.ts';
import type { OptionalField, OrganisationProfile } from './directory.vocabulary.ts';

export const PAGE_SIZE = 20;
/** As long as an invitation by link: the mail says 7 days either way. */
const INVITATION_DAYS = 7;
export const EXPORT_LIMIT = 20000;

/** An organisation as one reader may see it: a field hidden from them is null or empty. */
export interface Profile {
  id: string;
  slug: string;
  name: string;
  shortName: string | null;
  mission: string | null;
  website: string | null;
  yearFounded: number | null;
  staffSize: string | null;
  countries: string[];
  activities: string[];
  stakeholders: string[];
  preventionShare: string | null;
  languages: string[];
  diasporaLed: boolean | null;
  contactEmail: string | null;
  /** Members see which fields the public cannot; the public is not told what it is missing. */
  membersOnly: OptionalField[];
  status: OrganisationStatus;
  isDemo: boolean;
  updatedAt: Date;
}

export function audienceOf(actor: Actor): Audience {
  const roles = rolesOf(actor);
  return roles.has('member') || roles.has('org_admin') || roles.has('associate') || roles.has('convener') ? 'members' : 'public';
}

/** The one place where members-only fields are taken out for the public. */
export function present(row: OrganisationRow, audience: Audience): Profile {
  const hidden = new Set(audience === 'public' ? row.members_only : []);
  const show = <T>(field: OptionalField, value: T, empty: T): T => (hidden.has(field) ? empty : value);
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    shortName: show('shortName', row.short_name, null),
    mission: show('mission', row.mission, null),
    website: show('website', row.website, null),
    yearFounded: show('yearFounded', row.year_founded, null),
    staffSize: show('staffSize', row.staff_size, null),
    countries: show('countries', row.countries, []),
    activities: show('activities', row.activities, []),
    stakeholders: show('stakeholders', row.stakeholders, []),
    preventionShare: show('preventionShare', row.prevention_share, null),
    languages: show('languages', row.languages, []),
    diasporaLed: show('diasporaLed', row.diaspora_led, null),
    contactEmail: show('contactEmail', row.contact_email, null),
    membersOnly: audience === 'members' ? (row.members_only as OptionalField[]) : [],
    status: row.status,
    isDemo: row.is_demo,
    updatedAt: row.updated_at,
  };
}

/** Checks what a schema cannot (codes that exist) and turns a profile into stored values. */
export function profileValues(input: ProfileInput): repo.OrganisationValues {
  const errors: FieldErrors = {};
  const unknownCountry = input.countries.find((c) => !isCountryCode(c));
  if (unknownCountry) errors.countries = { key: 'errors.countryUnknown', values: { code: unknownCountry } };
  const unknownLanguage = input.languages.find((l) => !isLanguageCode(l));
  if (unknownLanguage) errors.languages = { key: 'errors.languageUnknown', values: { code: unknownLanguage } };
  if (input.yearFounded !== undefined && input.yearFounded > new Date().getUTCFullYear()) errors.yearFounded = { key: 'errors.year' };
  if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
  const unique = <T>(xs: T[]) => [...new Set(xs)];
  return {
    name: input.name,
    short_name: input.shortName ?? null,
    mission: input.mission,
    website: input.website ?? null,
    year_founded: input.yearFounded ?? null,
    staff_size: input.staffSize ?? null,
    countries: unique(input.countries),
    activities: unique(input.activities),
    stakeholders: unique(input.stakeholders),
    prevention_share: input.preventionShare ?? null,
    languages: unique(input.languages),
    diaspora_led: input.diasporaLed ?? null,
    contact_email: input.contactEmail ?? null,
    members_only: unique(input.membersOnly),
    // A members-only short name must not make the organisation findable by it in public.
    search_name: foldForSearch(input.membersOnly.includes('shortName') ? input.name : `${input.name} ${input.shortName ?? ''}`),
    search_mission: foldForSearch(markdownToText(input.mission)),
  };
}

/** A complete profile (demo data, generated data) in the shape of the form and API input. */
export function profileInput(p: OrganisationProfile): ProfileInput {
  const optional = <T>(v: T | null) => (v === null ? undefined : v);
  const input: ProfileInput = {
    name: p.name,
    mission: p.mission,
    countries: p.countries,
    activities: p.activities,
    stakeholders: p.stakeholders,
    languages: p.languages,
    membersOnly: p.membersOnly,
  };
  const extra = {
    shortName: optional(p.shortName),
    website: optional(p.website),
    yearFounded: optional(p.yearFounded),
    staffSize: optional(p.staffSize),
    preventionShare: optional(p.preventionShare),
    diasporaLed: optional(p.diasporaLed),
    contactEmail: optional(p.contactEmail),
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (input as Record<string, unknown>)[k] = v;
  return input;
}

/** "Bridgewater Forum (demo)" → "bridgewater-forum-demo"; names in other scripts get "organisation". */
export function slugBase(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return base.length >= 2 ? base : 'organisation';
}

export function websiteHost(website: string | undefined | null): string | null {
  if (!website) return null;
  try {
    return new URL(website).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return null;
  }
}

export interface DirectoryPage {
  filters: DirectoryQuery;
  total: number;
  page: number;
  pages: number;
  items: Profile[];
  facets: Record<Dimension, Map<string, number>>;
  audience: Audience;
}

function toFilters(query: DirectoryQuery): Filters {
  const q = query.q ? foldForSearch(query.q) : '';
  return {
    q: q || undefined,
    activity: query.activity,
    stakeholder: query.stakeholder,
    country: query.country,
    language: query.language,
    diasporaLed: query.diasporaLed === undefined ? undefined : query.diasporaLed === 'yes',
  };
}

/** The public directory, the sector map, and what org admins do for their organisation. */
export class DirectoryService {
  constructor(
    private p: Platform,
    private accounts: AccountsService,
  ) {
    // Organisations that joined the network (as members or associates) since the last digest: the directory is public.
    p.digests.register({
      topic: 'members',
      newFor: async (_reader, since, until, limit) => {
        const { rows, total } = await repo.joinedBetween(this.p.db, since, until, limit);
        return { items: rows.map((r) => ({ title: r.name, url: new URL(`/directory/${r.slug}`, this.p.config.publicUrl).href, what: `digest.item.joined.${r.status}` })), total };
      },
    });
  }

  async list(actor: Actor, query: DirectoryQuery): Promise<DirectoryPage> {
    const audience = audienceOf(actor);
    const filters = toFilters(query);
    const page = query.page ?? 1;
    const [{ total, rows }, facetRows] = await Promise.all([
      repo.search(this.p.db, audience, filters, PAGE_SIZE, (page - 1) * PAGE_SIZE),
      repo.facets(this.p.db, audience, filters),
    ]);
    const facets: DirectoryPage['facets'] = { activity: new Map(), stakeholder: new Map(), country: new Map(), language: new Map(), diasporaLed: new Map() };
    for (const f of facetRows) facets[f.dimension].set(f.value, f.n);
    return { filters: query, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), items: rows.map((r) => present(r, audience)), facets, audience };
  }

  /** Everything matching the filters, for the CSV export (no paging, with a ceiling). */
  async export(actor: Actor, query: DirectoryQuery): Promise<Profile[]> {
    const audience = audienceOf(actor);
    const { rows } = await repo.search(this.p.db, audience, toFilters({ ...query, page: undefined }), EXPORT_LIMIT, 0);
    return rows.map((r) => present(r, audience));
  }

  /** The convener, or an admin of this organisation (member or associate, in good standing). */
  private canManage(actor: Actor, organisationId: string): actor is PersonActor {
    if (actor.kind !== 'person') return false;
    return rolesOf(actor).has('convener') || administers(actor, organisationId);
  }

  async profile(actor: Actor, slug: string) {
    const row = await repo.findBySlug(this.p.db, slug);
    if (!row) throw AppError.notFound();
    const manage = this.canManage(actor, row.id);
    // Suspended and departed organisations leave the public directory; the convener still
    // reaches the page (their former admins do not: those memberships give nothing now).
    if (!repo.LISTED_STATUSES.includes(row.status) && !manage) throw AppError.notFound();
    const audience = audienceOf(actor);
    const profile = present(row, audience);
    const [related, history] = await Promise.all([
      repo.related(this.p.db, audience, row.id, profile.countries, profile.activities),
      manage ? repo.statusHistory(this.p.db, row.id) : Promise.resolve([]),
    ]);
    return { profile, related, history, canEdit: manage, audience };
  }

  async sectorMap(actor: Actor) {
    const audience = audienceOf(actor);
    const [matrix, countries, total] = await Promise.all([
      repo.matrixCounts(this.p.db, audience),
      repo.countryCounts(this.p.db, audience),
      repo.countListed(this.p.db),
    ]);
    return {
      audience,
      total,
      matrix: new Map(matrix.map((m) => [`${m.stakeholder}|${m.activity}`, m.n])),
      countries: new Map(countries.map((c) => [c.country, c.n])),
    };
  }

  // ---- org admins ----------------------------------------------------------------------------

  private async managed(actor: Actor, organisationId: string, action: 'edit' | 'manageStaff' | 'leave') {
    // Leaving is the organisation's own decision: the convener suspends instead.
    const allowed = action === 'leave' ? administers(actor, organisationId) : this.canManage(actor, organisationId);
    if (!allowed) throw AppError.notFound();
    const row = await repo.findById(this.p.db, organisationId);
    if (!row) throw AppError.notFound();
    return { me: actor as PersonActor, row };
  }

  async editable(actor: Actor, organisationId: string) {
    const { row } = await this.managed(actor, organisationId, 'edit');
    return row;
  }

  async updateProfile(actor: Actor, organisationId: string, input: ProfileInput): Promise<string> {
    const { me, row } = await this.managed(actor, organisationId, 'edit');
    const values = profileValues(input);
    await this.p.db.transaction().execute(async (trx) => {
      await repo.updateProfile(trx, row.id, values);
      await audit(trx, me, { action: 'organisation.update', recordType: 'organisation', recordId: row.id });
    });
    return row.slug;
  }

  async staff(actor: Actor, organisationId: string) {
    const { row } = await this.managed(actor, organisationId, 'manageStaff');
    const [staff, invitations] = await Promise.all([repo.staffOf(this.p.db, row.id), repo.openInvitationsFor(this.p.db, row.id)]);
    return { organisation: row, staff, invitations };
  }

  /**
   * An invitation, never a membership: nobody joins an organisation without accepting. The
   * admin's answer and the pending list are the same whether or not the address has an
   * account, so this form tells nobody who is on the platform. Only the mail differs, and only
   * the address's owner reads it: an account holder is asked to sign in and accept (or
   * decline); anyone else gets the link that creates an account.
   */
  async inviteStaff(actor: Actor, organisationId: string, input: StaffInvite, locale: string): Promise<void> {
    const { me, row } = await this.managed(actor, organisationId, 'manageStaff');
    if (row.status === 'left' || row.status === 'suspended') throw AppError.field('email', 'errors.organisationInactive');
    const person = await this.accountHolder(input.email);
    await this.p.db.transaction().execute(async (trx) => {
      if (person) await this.inviteAccountHolderWithin(trx, me, person, { id: row.id, name: row.name }, input.orgRole, locale);
      else await this.accounts.inviteWithin(trx, me, { email: input.email, networkRole: 'member', organisationId: row.id, orgRole: input.orgRole, organisationName: row.name }, locale);
    });
  }

  /**
   * The account that signs in with this email, if any. Only accounts without a pseudonym: an
   * email given at registration is unverified (anyone may type someone else's), so it never
   * decides where an invitation goes.
   */
  async accountHolder(email: string) {
    const person = await accountsRepo.findPersonByEmail(this.p.db, email);
    return person && person.pseudonym === null && person.email ? { id: person.id, email: person.email, locale: person.locale } : undefined;
  }

  /**
   * An invitation for someone who already has an account, inside the caller's transaction.
   * The row carries a token like any invitation, but it is never sent: an account holder
   * accepts while signed in (/invitations/organisation), in their own language.
   */
  async inviteAccountHolderWithin(
    trx: Transaction<DB>,
    actor: PersonActor,
    person: { id: string; email: string; locale: string | null },
    organisation: { id: string; name: string },
    orgRole: OrgRole,
    fallbackLocale: string,
  ): Promise<void> {
    const locale = person.locale && isSupportedLocale(person.locale) ? person.locale : fallbackLocale;
    const t = translator(locale);
    const { id } = await accountsRepo.insertInvitation(trx, {
      token_hash: sha256(newToken()),
      email: person.email,
      network_role: 'member',
      organisation_id: organisation.id,
      org_role: orgRole,
      invited_by: actor.id,
      expires_at: new Date(Date.now() + INVITATION_DAYS * 24 * 3600 * 1000),
    });
    await this.p.mailer.queue(trx, {
      to: person.email,
      subject: t('mail.orgInvite.subject', { organisation: organisation.name }),
      text: t('mail.orgInvite.body', {
        inviter: actor.displayName,
        organisation: organisation.name,
        role: t(`orgRole.${orgRole}`),
        link: new URL('/invitations/organisation', this.p.config.publicUrl).href,
        days: INVITATION_DAYS,
      }),
    });
    await audit(trx, actor, { action: 'invitation.create', recordType: 'invitation', recordId: id });
  }

  // ---- the invited person's side -------------------------------------------------------------

  private async invitee(actor: Actor) {
    if (actor.kind !== 'person') throw new AppError('unauthenticated', 'errors.signInRequired');
    const person = await accountsRepo.findPersonById(this.p.db, actor.id);
    // A pseudonymous account's email is unverified: invitations are never shown to it.
    const email = person && person.pseudonym === null ? person.email : null;
    return { me: actor, email, networkRole: person?.network_role };
  }

  /** Invitations to organisations waiting for this person's answer. */
  async myInvitations(actor: Actor) {
    const { email, networkRole } = await this.invitee(actor);
    const invitations = email ? await invitationsRepo.openOrganisationInvitations(this.p.db, email) : [];
    // Staff of an organisation act in the network's name: community and associate accounts
    // cannot be joined to one (they decline, or are invited at another address).
    return { invitations, canAccept: networkRole === 'member' || networkRole === 'convener' };
  }

  async acceptInvitation(actor: Actor, invitationId: string): Promise<void> {
    const { me, email, networkRole } = await this.invitee(actor);
    const invitation = email ? await invitationsRepo.findOpenOrganisationInvitation(this.p.db, invitationId, email) : undefined;
    if (!invitation) throw AppError.notFound();
    if (invitation.organisation_status !== 'member' && invitation.organisation_status !== 'associate') throw AppError.invalid({}, 'errors.invitationOrganisationInactive');
    if (networkRole !== 'member' && networkRole !== 'convener') throw AppError.invalid({}, 'errors.invitationAccountRole');
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await accountsRepo.consumeInvitation(trx, invitation.id))) throw AppError.notFound();
      await accountsRepo.insertMembership(trx, { person_id: me.id, organisation_id: invitation.organisation_id, role: invitation.org_role ?? 'staff' });
      await audit(trx, me, { action: 'invitation.accept', recordType: 'invitation', recordId: invitation.id });
      await audit(trx, me, { action: 'membership.add', recordType: 'organisation', recordId: invitation.organisation_id });
    });
  }

  async declineInvitation(actor: Actor, invitationId: string): Promise<void> {
    const { me, email } = await this.invitee(actor);
    if (!email) throw AppError.notFound();
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await invitationsRepo.deleteOpenInvitation(trx, invitationId, email))) throw AppError.notFound();
      await audit(trx, me, { action: 'invitation.decline', recordType: 'invitation', recordId: invitationId });
    });
  }

  async removeStaff(actor: Actor, organisationId: string, personId: string): Promise<void> {
    const { me, row } = await this.managed(actor, organisationId, 'manageStaff');
    const role = await repo.membershipRole(this.p.db, personId, row.id);
    if (!role) throw AppError.notFound();
    // An organisation always keeps someone who can act for it.
    if (role === 'org_admin' && (await repo.countAdmins(this.p.db, row.id)) <= 1) throw AppError.field('person', 'errors.lastAdmin');
    await this.p.db.transaction().execute(async (trx) => {
      await repo.removeMembership(trx, personId, row.id);
      await audit(trx, me, { action: 'membership.remove', recordType: 'organisation', recordId: row.id });
    });
  }

  async leave(actor: Actor, organisationId: string, input: Leave): Promise<void> {
    const { me, row } = await this.managed(actor, organisationId, 'leave');
    if (row.status === 'left') throw AppError.field('confirm', 'errors.alreadyLeft');
    await this.p.db.transaction().execute(async (trx) => {
      await this.recordStatus(trx, me, row.id, 'left', input.reason ?? null);
    });
  }

  async changeStatus(actor: Actor, organisationId: string, input: StatusChange): Promise<string> {
    if (actor.kind !== 'person' || !directoryPolicy.can(actor, 'changeStatus')) throw AppError.notFound();
    const row = await repo.findById(this.p.db, organisationId);
    if (!row) throw AppError.notFound();
    if (row.status === input.status) throw AppError.field('status', 'errors.statusUnchanged');
    await this.p.db.transaction().execute(async (trx) => {
      await this.recordStatus(trx, actor, row.id, input.status, input.reason);
    });
    return row.slug;
  }

  private async recordStatus(trx: Transaction<DB>, actor: PersonActor, id: string, status: OrganisationStatus, reason: string | null) {
    await repo.setStatus(trx, id, status);
    await repo.addStatusHistory(trx, { organisation_id: id, status, reason, actor_id: actor.id });
    await audit(trx, actor, { action: `organisation.${status}`, recordType: 'organisation', recordId: id });
  }

  /**
   * Loads many organisations in one go as members, without per-row history: for benchmark and
   * import data, never for applications (those go through createWithin).
   */
  async bulkLoad(inputs: ProfileInput[]): Promise<number> {
    const taken = new Set<string>();
    const rows = inputs.map((input) => {
      const base = slugBase(input.name);
      let slug = base;
      for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
      taken.add(slug);
      return { ...profileValues(input), slug, status: 'member' as const };
    });
    await this.p.db.transaction().execute(async (trx) => {
      await repo.insertOrganisations(trx, rows);
      await audit(trx, null, { action: 'organisation.bulk_load', recordType: 'organisation', recordId: String(rows.length) });
    });
    return rows.length;
  }

  /** Creates an organisation in the caller's transaction (an approved application, demo data). */
  async createWithin(
    trx: Transaction<DB>,
    actor: Actor | null,
    input: ProfileInput,
    opts: { status: OrganisationStatus; reason: string | null; appliedAt?: Date; isDemo?: boolean },
  ): Promise<{ id: string; slug: string }> {
    const values = profileValues(input);
    const base = slugBase(input.name);
    let slug = base;
    for (let n = 2; await repo.slugTaken(trx, slug); n++) slug = `${base}-${n}`;
    const { id } = await repo.insertOrganisation(trx, { ...values, slug, status: opts.status, is_demo: opts.isDemo ?? false });
    const actorId = actor && actor.kind === 'person' ? actor.id : null;
    if (opts.appliedAt) await repo.addStatusHistory(trx, { organisation_id: id, status: 'applicant', reason: null, actor_id: null, created_at: opts.appliedAt });
    await repo.addStatusHistory(trx, { organisation_id: id, status: opts.status, reason: opts.reason, actor_id: actorId });
    await audit(trx, actor, { action: 'organisation.create', recordType: 'organisation', recordId: id });
    return { id, slug };
  }
}
