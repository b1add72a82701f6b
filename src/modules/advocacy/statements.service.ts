import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { ACTING_FOR_FIELD, actingFor, canActForAny } from '../../platform/acting.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import { today } from '../../platform/calendar.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError, type FieldErrors } from '../../platform/errors.ts';
import type { Translate } from '../../platform/i18n.ts';
import { type Actor, type PersonActor, rolesOf } from '../../platform/policy.ts';
import { assertOwner, assertSignsFor, type StatementAccess, type StatementRow, statementAccess } from './access.ts';
import { drafters as drafterRows, lockStatement } from './access.repository.ts';
import { advocacyPolicy } from './advocacy.policy.ts';
import { asksFrom, contentSha256, normalised, type VersionContent, versionDiff } from './canonical.ts';
import { shown, type ShownSignatory, signatoriesOf } from './signatories.ts';
import { signatureRows } from './signatories.repository.ts';
import * as repo from './statements.repository.ts';
import type { VersionRow } from './statements.repository.ts';
import type { CirculateInput, CommentInput, CorrectionInput, CosignInput, DeclineInput, InviteDrafterInput, NameSignatoryInput, StatementInput, TranslationInput } from './statements.schemas.ts';

export const DEADLINE_REMINDER_JOB = 'statements.deadlineReminder';
/** Organisations that have not answered are reminded this many days before the deadline. */
export const REMINDER_DAYS_BEFORE = 2;

type Trx = Transaction<DB>;

/** The version everything is signed against: the latest in the statement's own language. */
export function currentVersion(versions: readonly VersionRow[]): VersionRow | undefined {
  return versions.filter((v) => v.translation_of === null).at(-1);
}

const contentOf = (v: { language: string; title: string; summary: string; asks: readonly string[]; body: string }): VersionContent => ({
  language: v.language,
  title: v.title,
  summary: v.summary,
  asks: v.asks,
  body: v.body,
});

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** The deadline has passed once its day is over (dates are UTC calendar days, as everywhere). */
export function deadlinePassed(deadline: string | null, now = today()): boolean {
  return deadline !== null && now > deadline;
}

/**
 * What a statement needs of early warning, through its services (the module's `needs`), so that
 * whether a reader may see an alert or a sign is decided by the warnings module alone.
 */
export interface CitedAlert {
  alert: { id: string; country: string; number: number; severity: string; summary: string };
  signs: { id: string; observed_on: string; description: string }[];
}
export interface WarningsForStatements {
  alerts: { citable(actor: Actor, id: string): Promise<CitedAlert | undefined> };
  signs: { citable(actor: Actor, ids: readonly string[]): Promise<{ id: string; observed_on: string; description: string; country: string }[]> };
}

/** Staff of member organisations and the convener read network-only alerts (as warnings decides). */
function isNetworkReader(actor: Actor): boolean {
  const roles = rolesOf(actor);
  return roles.has('member') || roles.has('org_admin') || roles.has('convener');
}

export class StatementsService {
  constructor(
    private p: Platform,
    private warnings: WarningsForStatements,
  ) {
    p.jobs.define(DEADLINE_REMINDER_JOB, async (data) => {
      await this.sendDeadlineReminder(String(data.statementId));
    });
    // Statements circulated for signing since the last digest, to those who may read them (the list's own rule).
    p.digests.register({
      topic: 'statements',
      newFor: async (reader, since, until, limit) => {
        const { rows, total } = await repo.circulatedBetween(this.p.db, this.listViewer(reader), since, until, limit);
        return { items: rows.map((x) => ({ title: x.deadline ? `${x.title} (${x.deadline})` : x.title, url: this.url(`/statements/${x.id}`), language: x.language, what: 'digest.item.statementOpen' })), total };
      },
    });
  }

  private url(path: string): string {
    return new URL(path, this.p.config.publicUrl).href;
  }

  // ---- reading ---------------------------------------------------------------------------

  /** Who the reader is, as the statements list decides what they may read. */
  private listViewer(actor: Actor): repo.ListViewer {
    const person = actor.kind === 'person' ? actor : undefined;
    return {
      signedIn: !!person,
      convener: rolesOf(actor).has('convener'),
      organisationIds: person?.memberships.map((m) => m.organisationId) ?? [],
      inMemberOrganisation: !!person?.memberships.some((m) => (m.standing ?? 'member') === 'member'),
      inAssociateOrganisation: !!person?.memberships.some((m) => m.standing === 'associate'),
    };
  }

  async list(actor: Actor) {
    const statements = await repo.listStatements(this.p.db, this.listViewer(actor));
    return { statements, canDraft: advocacyPolicy.can(actor, 'draft') && canActForAny(actor) };
  }

  /**
   * Whether the reader is among those who may read the statement before publication (drafters,
   * its audience, the convener, signed-in readers where individuals co-sign): they see the
   * working version, the comments and how signing goes. Decided by access.ts itself, as if the
   * statement were circulated, so the rule is written once.
   */
  private preview(actor: Actor, access: StatementAccess): boolean {
    if (!access.published && access.owner) return true;
    if (access.owner || access.invitedOrganisations.length > 0 || access.audienceOrganisations.length > 0) return true;
    // Anyone else who may read it early (an individual who may co-sign) reads its text only:
    // no comments, no drafts in progress, no history of who signed what.
    return actor.kind === 'person' && rolesOf(actor).has('convener');
  }

  /** Everything the statement page shows this reader; 404 for a reader who may not see it. */
  async page(actor: Actor, id: string) {
    const access = await statementAccess(this.p.db, actor, id);
    const s = access.statement;
    const person = actor.kind === 'person' ? actor : undefined;
    const network = isNetworkReader(actor);
    const preview = this.preview(actor, access);
    const [versions, drafters, alerts, signs, rows] = await Promise.all([
      repo.versions(this.p.db, id),
      drafterRows(this.p.db, id),
      repo.statementAlerts(this.p.db, id, network),
      repo.statementSignIds(this.p.db, id).then((ids) => this.warnings.signs.citable(actor, ids)),
      signatureRows(this.p.db, [id]),
    ]);
    const current = currentVersion(versions) as VersionRow;
    const publishedNumber = s.published_version;
    const visibleVersions = preview ? versions : versions.filter((v) => v.published_at !== null);
    // The public reads the published text; those who read it before publication, the latest.
    const shownVersion = (preview ? current : versions.find((v) => v.number === publishedNumber)) ?? current;
    const translations = visibleVersions.filter((v) => v.translation_of === shownVersion.number);
    const signatories = signatoriesOf(rows, shownVersion.number);
    // Organisations that signed an earlier version and have not signed this one (yet).
    const onShown = new Set(signatories.organisations.map((o) => o.organisationId));
    const earlier = new Map<string, { who: ShownSignatory; version: number }>();
    // Only for those who follow the signing: the public sees who signed what it reads.
    for (const r of preview ? rows : []) {
      if (r.withdrawn_at !== null || r.version_number >= shownVersion.number || !r.organisation_id || onShown.has(r.organisation_id)) continue;
      const who = shown(r);
      if (who) earlier.set(r.organisation_id, { who, version: r.version_number });
    }

    const open = (s.state === 'circulated' || s.state === 'published') && !deadlinePassed(s.deadline);
    const signingOrganisations = person && open ? await this.signableOrganisations(person, access) : [];
    const own = person ? await repo.ownSignatures(this.p.db, id, person.memberships.map((m) => m.organisationId), person.id) : [];
    const declines = access.owner || signingOrganisations.length > 0 ? await repo.declines(this.p.db, id) : [];
    const mySigning = signingOrganisations.map((o) => {
      const signed = own.find((x) => x.organisation_id === o.organisationId);
      const earlierVersion = signed && signed.version_number !== current.number ? versions.find((v) => v.number === signed.version_number) : undefined;
      return {
        ...o,
        signedVersion: signed?.version_number,
        declined: declines.some((d) => d.organisation_id === o.organisationId),
        diff: earlierVersion ? versionDiff(contentOf(earlierVersion), contentOf(current)) : undefined,
      };
    });
    const myCosign = own.find((x) => x.organisation_id === null);
    const invitedNames = drafters.filter((d) => access.invitedOrganisations.includes(d.organisation_id)).map((d) => ({ organisationId: d.organisation_id, name: d.name }));
    const canComment =
      s.state === 'circulated' &&
      !!person &&
      advocacyPolicy.can(person, 'comment') &&
      (access.owner || access.audienceOrganisations.some((o) => person.memberships.some((m) => m.organisationId === o && (m.standing ?? 'member') === 'member')));
    return {
      statement: s,
      owner: access.owner,
      preview,
      invited: invitedNames,
      versions: visibleVersions,
      current,
      shownVersion,
      translations,
      drafters: drafters.filter((d) => d.state !== 'declined' && (d.state === 'accepted' || preview)),
      alerts,
      signs,
      signatories,
      earlier: [...earlier.values()],
      comments: preview ? await repo.comments(this.p.db, id) : [],
      declines: access.owner ? declines : [],
      mySigning,
      myCosign: myCosign ? { version: myCosign.version_number, appearsAs: myCosign.appears_as } : undefined,
      canCosign: open && !!person && s.allow_individuals && advocacyPolicy.can(person, 'cosign'),
      canComment,
      invitable: access.owner ? await repo.invitableOrganisations(this.p.db, id) : [],
      canEdit: access.owner && s.state !== 'published' && s.state !== 'withdrawn',
      canCorrect: access.owner && s.state === 'published',
      canCirculate: access.owner && s.state === 'drafting',
      canPublish: access.owner && (s.state === 'circulated' || (s.state === 'published' && current.published_at === null)),
      canTranslate: access.owner && s.state !== 'withdrawn',
      deadlinePassed: deadlinePassed(s.deadline),
    };
  }

  /** One version, with a word diff from the version before it in the same language. */
  async version(actor: Actor, id: string, number: number) {
    const access = await statementAccess(this.p.db, actor, id);
    const preview = this.preview(actor, access);
    const all = await repo.versions(this.p.db, id);
    const visible = preview ? all : all.filter((v) => v.published_at !== null);
    const version = visible.find((v) => v.number === number);
    if (!version) throw AppError.notFound();
    const previous = visible.filter((v) => v.number < number && v.language === version.language && (v.translation_of === null) === (version.translation_of === null)).at(-1);
    const original = version.translation_of !== null ? visible.find((v) => v.number === version.translation_of) : undefined;
    const root = original ?? version;
    return {
      statement: access.statement,
      version,
      previous,
      diff: previous ? versionDiff(contentOf(previous), contentOf(version)) : undefined,
      // The same text in other languages: the original and every translation of it.
      siblings: [root, ...visible.filter((v) => v.translation_of === root.number)].filter((v) => v.number !== version.number),
      current: currentVersion(all)?.number,
    };
  }

  // ---- drafting --------------------------------------------------------------------------

  /** The new-statement form, prefilled from the alert it answers (its country and signs). */
  async newForm(actor: Actor, alertId: string | undefined) {
    const me = advocacyPolicy.person(actor, 'draft');
    const values: Record<string, unknown> = { kind: 'joint_statement', language: me.locale ?? 'en', countries: [], alerts: [], signs: [] };
    let alert: CitedAlert['alert'] | undefined;
    let signOptions: CitedAlert['signs'] = [];
    if (alertId) {
      const cited = await this.warnings.alerts.citable(me, alertId);
      if (!cited) throw AppError.notFound();
      alert = cited.alert;
      signOptions = cited.signs;
      Object.assign(values, { countries: [alert.country], alerts: [alert.id], signs: signOptions.map((x) => x.id) });
    }
    return { values, alert, signOptions };
  }

  /** The sign options offered again when a form is refused (the alerts' signs this reader sees). */
  async signOptionsFor(actor: Actor, alertIds: readonly string[]) {
    const out: CitedAlert['signs'] = [];
    for (const alertId of alertIds.slice(0, 10)) {
      const cited = await this.warnings.alerts.citable(actor, alertId);
      for (const x of cited?.signs ?? []) if (!out.some((o) => o.id === x.id)) out.push(x);
    }
    return out;
  }

  /** Alerts and signs the author cites must be ones they may read; anything else is refused. */
  private async checkCited(me: PersonActor, input: { alerts: string[]; signs: string[] }): Promise<void> {
    const errors: FieldErrors = {};
    for (const alertId of new Set(input.alerts)) if (!(await this.warnings.alerts.citable(me, alertId))) errors.alerts = { key: 'errors.choice' };
    const signs = [...new Set(input.signs)];
    if ((await this.warnings.signs.citable(me, signs)).length !== signs.length) errors.signs = { key: 'errors.choice' };
    if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
  }

  private versionValues(content: VersionContent): repo.VersionValues {
    const c = normalised(content);
    if (c.title.length < 3) throw AppError.field('title', 'errors.minLength', { limit: 3 });
    if (c.body === '') throw AppError.field('body', 'errors.required');
    return { language: c.language, title: c.title, summary: c.summary, body: c.body, asks: [...c.asks], content_sha256: contentSha256(c) };
  }

  async create(actor: Actor, input: StatementInput, chosen: unknown): Promise<string> {
    const me = advocacyPolicy.person(actor, 'draft');
    const organisationId = actingFor(me, chosen);
    await this.checkCited(me, input);
    const version = this.versionValues({ ...input, summary: input.summary ?? '', asks: asksFrom(input.asks) });
    return this.p.db.transaction().execute(async (trx) => {
      const id = await repo.insertStatement(trx, {
        kind: input.kind,
        allow_individuals: input.allowIndividuals === 'yes',
        organisation_id: organisationId,
        created_by: me.id,
        language: version.language,
        countries: [...new Set(input.countries)],
        include_associates: input.includeAssociates === 'yes',
      });
      // The lead organisation drafts by creating it: its own act, so accepted at once.
      await repo.insertDrafter(trx, id, organisationId, 'accepted', me.id);
      await repo.insertVersion(trx, { ...version, statement_id: id, number: 1, author_id: me.id, author_organisation_id: organisationId });
      await repo.setAlerts(trx, id, [...new Set(input.alerts)]);
      await repo.setSigns(trx, id, [...new Set(input.signs)]);
      await audit(trx, me, { action: 'statement.create', recordType: 'statement', recordId: id });
      return id;
    });
  }

  /** The statement's owners act in the name of one of the drafting organisations. */
  private owning(me: PersonActor, access: StatementAccess, chosen: unknown): string {
    assertOwner(access);
    const organisationId = actingFor(me, chosen);
    if (!access.ownerOrganisations.includes(organisationId)) throw AppError.field(ACTING_FOR_FIELD, 'errors.actingForNotOwner');
    return organisationId;
  }

  /** The edit form's values: owners only. */
  async editForm(actor: Actor, id: string) {
    const me = advocacyPolicy.person(actor, 'draft');
    const access = await statementAccess(this.p.db, me, id);
    assertOwner(access);
    const s = access.statement;
    const current = currentVersion(await repo.versions(this.p.db, id)) as VersionRow;
    const [alerts, signs] = await Promise.all([repo.statementAlertIds(this.p.db, id), repo.statementSignIds(this.p.db, id)]);
    return {
      statement: s,
      values: {
        kind: s.kind,
        language: s.language,
        title: current.title,
        summary: current.summary,
        asks: current.asks.join('\n'),
        body: current.body,
        countries: s.countries,
        alerts,
        signs,
        allowIndividuals: s.allow_individuals ? 'yes' : undefined,
        includeAssociates: s.include_associates ? 'yes' : undefined,
      } as Record<string, unknown>,
      signOptions: await this.signOptionsFor(me, alerts),
    };
  }

  /**
   * Saves an edit. While drafting, the one working version changes in place (nobody has signed
   * anything yet). Once circulated every saved change is a new version, with its author, so
   * that signatures stay bound to what was signed. A published version never changes: the way
   * is a correction (`correct`).
   */
  async update(actor: Actor, id: string, input: StatementInput, chosen: unknown): Promise<{ version: number }> {
    const me = advocacyPolicy.person(actor, 'draft');
    const access = await statementAccess(this.p.db, me, id);
    const organisationId = this.owning(me, access, chosen);
    if (access.statement.state === 'published') throw AppError.invalid({ title: { key: 'errors.statementPublishedEdit' } }, 'errors.statementPublishedEdit');
    if (access.statement.state === 'withdrawn') throw AppError.notFound();
    await this.checkCited(me, input);
    const drafting = access.statement.state === 'drafting';
    // The language is part of what is signed; it is chosen while drafting.
    const language = drafting ? input.language : access.statement.language;
    const version = this.versionValues({ ...input, language, summary: input.summary ?? '', asks: asksFrom(input.asks) });
    return this.p.db.transaction().execute(async (trx) => {
      const locked = (await lockStatement(trx, id)) as StatementRow;
      if (locked.state !== access.statement.state) throw AppError.invalid({}, 'errors.statementChanged');
      const current = currentVersion(await repo.versions(trx, id)) as VersionRow;
      let number = current.number;
      if (locked.state === 'drafting') {
        await repo.updateVersion(trx, id, current.number, { ...version, author_id: me.id, author_organisation_id: organisationId });
      } else if (version.content_sha256 !== current.content_sha256) {
        number = (await repo.lastVersionNumber(trx, id)) + 1;
        await repo.insertVersion(trx, { ...version, statement_id: id, number, author_id: me.id, author_organisation_id: organisationId });
      }
      await repo.updateStatement(trx, id, {
        // What kind of text it is and who may co-sign are part of what organisations signed up
        // to: fixed once it is circulated, like the audience.
        ...(drafting ? { kind: input.kind, allow_individuals: input.allowIndividuals === 'yes' } : {}),
        language,
        countries: [...new Set(input.countries)],
        // Who it is circulated to is decided when circulating; afterwards it stays.
        ...(drafting ? { include_associates: input.includeAssociates === 'yes' } : {}),
      });
      await repo.setAlerts(trx, id, [...new Set(input.alerts)]);
      await repo.setSigns(trx, id, [...new Set(input.signs)]);
      await audit(trx, me, { action: number === current.number ? 'statement.update' : 'statement.version', recordType: 'statement', recordId: id });
      return { version: number };
    });
  }

  /**
   * A correction of a published statement: a new version with the reason, which must be
   * signed and published again. The published version, and the signatures on it, stay.
   */
  async correct(actor: Actor, id: string, input: CorrectionInput, chosen: unknown): Promise<{ version: number }> {
    const me = advocacyPolicy.person(actor, 'draft');
    const access = await statementAccess(this.p.db, me, id);
    const organisationId = this.owning(me, access, chosen);
    if (access.statement.state !== 'published') throw AppError.invalid({ note: { key: 'errors.statementNotPublished' } }, 'errors.statementNotPublished');
    const note = (input.note ?? '').trim();
    if (note.length < 3) throw AppError.field('note', 'errors.statementNoteRequired');
    if (input.deadline && input.deadline <= today()) throw AppError.field('deadline', 'errors.statementDeadlinePast');
    // A correction must be signed before it is published: it needs a deadline still to come.
    if (!input.deadline && deadlinePassed(access.statement.deadline)) throw AppError.field('deadline', 'errors.statementCorrectionDeadline');
    const version = this.versionValues({ ...input, language: access.statement.language, summary: input.summary ?? '', asks: asksFrom(input.asks) });
    return this.p.db.transaction().execute(async (trx) => {
      const locked = (await lockStatement(trx, id)) as StatementRow;
      if (locked.state !== 'published') throw AppError.invalid({}, 'errors.statementChanged');
      const number = (await repo.lastVersionNumber(trx, id)) + 1;
      await repo.insertVersion(trx, { ...version, note, statement_id: id, number, author_id: me.id, author_organisation_id: organisationId });
      if (input.deadline) await repo.updateStatement(trx, id, { deadline: input.deadline, deadline_reminded_at: null });
      if (input.deadline) await this.scheduleReminder(trx, id, input.deadline);
      await audit(trx, me, { action: 'statement.correction', recordType: 'statement', recordId: id });
      return { version: number };
    });
  }

  /** A translation of the current version: a version of its own, in its language, linked to it. */
  async translate(actor: Actor, id: string, input: TranslationInput, chosen: unknown): Promise<{ version: number }> {
    const me = advocacyPolicy.person(actor, 'draft');
    const access = await statementAccess(this.p.db, me, id);
    const organisationId = this.owning(me, access, chosen);
    if (access.statement.state === 'withdrawn') throw AppError.notFound();
    if (input.language === access.statement.language) throw AppError.field('language', 'errors.statementTranslationLanguage');
    const version = this.versionValues({ ...input, summary: input.summary ?? '', asks: asksFrom(input.asks) });
    return this.p.db.transaction().execute(async (trx) => {
      await lockStatement(trx, id);
      const all = await repo.versions(trx, id);
      const current = currentVersion(all) as VersionRow;
      if (all.some((v) => v.translation_of === current.number && v.language === version.language)) throw AppError.field('language', 'errors.statementTranslationExists');
      const number = (await repo.lastVersionNumber(trx, id)) + 1;
      await repo.insertVersion(trx, {
        ...version,
        statement_id: id,
        number,
        translation_of: current.number,
        author_id: me.id,
        author_organisation_id: organisationId,
        // A translation of the published text is published with it.
        published_at: current.published_at ? new Date() : null,
      });
      await audit(trx, me, { action: 'statement.translation', recordType: 'statement', recordId: id });
      return { version: number };
    });
  }

  // ---- co-drafters -----------------------------------------------------------------------

  /** Invites another member organisation to co-draft; it has no rights until its staff accept. */
  async inviteDrafter(actor: Actor, id: string, input: InviteDrafterInput, chosen: unknown): Promise<void> {
    const me = advocacyPolicy.person(actor, 'draft');
    const access = await statementAccess(this.p.db, me, id);
    this.owning(me, access, chosen);
    const invitable = await repo.invitableOrganisations(this.p.db, id);
    const target = invitable.find((o) => o.id === input.organisation);
    if (!target) throw AppError.field('organisation', 'errors.choice');
    const title = await this.title(id);
    const lead = (await repo.organisationName(this.p.db, access.statement.organisation_id)) ?? '';
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.insertDrafter(trx, id, target.id, 'invited', me.id))) throw AppError.field('organisation', 'errors.choice');
      const url = this.url(`/statements/${id}#drafting`);
      await this.p.mailer.queueInTheirLanguage(trx, await repo.staffContacts(trx, [target.id]), (t) => ({
        subject: t('statements.mail.drafterInvited.subject', { title }),
        text: t('statements.mail.drafterInvited.body', { title, lead, organisation: target.name, url }),
      }));
      await audit(trx, me, { action: 'statement.drafterInvite', recordType: 'statement_drafter', recordId: `${id}/${target.id}` });
    });
  }

  /** The invited organisation's staff answer: the organisation is in the URL and must be theirs. */
  async answerDrafter(actor: Actor, id: string, organisationId: string, answer: 'accepted' | 'declined'): Promise<void> {
    const me = advocacyPolicy.person(actor, 'draft');
    if (!me.memberships.some((m) => m.organisationId === organisationId && (m.standing ?? 'member') === 'member')) throw AppError.notFound();
    const access = await statementAccess(this.p.db, me, id);
    if (!access.invitedOrganisations.includes(organisationId)) throw AppError.notFound();
    const title = await this.title(id);
    const name = (await repo.organisationName(this.p.db, organisationId)) ?? '';
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.answerDrafter(trx, id, organisationId, answer, me.id))) throw AppError.notFound();
      await this.p.mailer.queueInTheirLanguage(trx, await repo.ownerContacts(trx, id), (t) => ({
        subject: t(`statements.mail.drafter.${answer}.subject`, { title, organisation: name }),
        text: t(`statements.mail.drafter.${answer}.body`, { title, organisation: name, url: this.url(`/statements/${id}`) }),
      }));
      await audit(trx, me, { action: answer === 'accepted' ? 'statement.drafterAccept' : 'statement.drafterDecline', recordType: 'statement_drafter', recordId: `${id}/${organisationId}` });
    });
  }

  // ---- circulation and comments ----------------------------------------------------------

  async circulate(actor: Actor, id: string, input: CirculateInput, chosen: unknown): Promise<void> {
    const me = advocacyPolicy.person(actor, 'draft');
    const access = await statementAccess(this.p.db, me, id);
    this.owning(me, access, chosen);
    if (input.deadline <= today()) throw AppError.field('deadline', 'errors.statementDeadlinePast');
    const includeAssociates = input.includeAssociates === 'yes';
    await this.p.db.transaction().execute(async (trx) => {
      const locked = (await lockStatement(trx, id)) as StatementRow;
      if (locked.state !== 'drafting') throw AppError.invalid({ deadline: { key: 'errors.statementAlreadyCirculated' } }, 'errors.statementAlreadyCirculated');
      await repo.updateStatement(trx, id, { state: 'circulated', circulated_at: new Date(), deadline: input.deadline, include_associates: includeAssociates });
      const title = await this.title(id, trx);
      const lead = (await repo.organisationName(trx, locked.organisation_id)) ?? '';
      const audience = await repo.audienceOrganisationIds(trx, includeAssociates);
      const url = this.url(`/statements/${id}`);
      await this.p.mailer.queueInTheirLanguage(trx, await repo.staffContacts(trx, audience), (t) => ({
        subject: t('statements.mail.circulated.subject', { title }),
        text: t('statements.mail.circulated.body', { title, lead, deadline: input.deadline, url }),
      }));
      await this.scheduleReminder(trx, id, input.deadline);
      await audit(trx, me, { action: 'statement.circulate', recordType: 'statement', recordId: id });
    });
  }

  /** Staff of an organisation it was circulated to comment on the draft, in its name. */
  async comment(actor: Actor, id: string, input: CommentInput, chosen: unknown): Promise<void> {
    const me = advocacyPolicy.person(actor, 'comment');
    const access = await statementAccess(this.p.db, me, id);
    if (access.statement.state !== 'circulated') throw AppError.invalid({ body: { key: 'errors.statementCommentsClosed' } }, 'errors.statementCommentsClosed');
    const organisationId = actingFor(me, chosen);
    if (!access.owner && !access.audienceOrganisations.includes(organisationId)) throw AppError.notFound();
    const body = input.body.trim();
    if (body === '') throw AppError.field('body', 'errors.required');
    await this.p.db.transaction().execute(async (trx) => {
      const current = currentVersion(await repo.versions(trx, id)) as VersionRow;
      const commentId = await repo.insertComment(trx, { statement_id: id, version_number: current.number, organisation_id: organisationId, person_id: me.id, body });
      await audit(trx, me, { action: 'statement.comment', recordType: 'statement_comment', recordId: commentId });
    });
  }

  // ---- signing ---------------------------------------------------------------------------

  /** The reader's organisations it was circulated to that they sign for (admin or named signatory). */
  private async signableOrganisations(me: PersonActor, access: StatementAccess) {
    const out: { organisationId: string; name: string }[] = [];
    for (const organisationId of access.audienceOrganisations) {
      try {
        await assertSignsFor(this.p.db, me, organisationId);
        out.push({ organisationId, name: me.memberships.find((m) => m.organisationId === organisationId)?.name ?? '' });
      } catch {
        // Not one they sign for: nothing offered, nothing said.
      }
    }
    return out;
  }

  /**
   * The organisation a sign, decline or withdrawal is for. Associate organisations sign where
   * chosen, so the choice is among the organisations it was circulated to (not only member
   * ones, as `actingFor` offers); one the person does not sign for is answered 404.
   */
  private async signingFor(me: PersonActor, access: StatementAccess, chosen: unknown): Promise<string> {
    const options = access.audienceOrganisations;
    let organisationId: string | undefined;
    if (typeof chosen === 'string' && chosen !== '') {
      if (!options.includes(chosen)) throw AppError.notFound();
      organisationId = chosen;
    } else if (options.length === 1) organisationId = options[0];
    else if (options.length === 0) throw AppError.notFound();
    else throw AppError.field(ACTING_FOR_FIELD, 'errors.actingForChoose');
    await assertSignsFor(this.p.db, me, organisationId as string);
    return organisationId as string;
  }

  /**
   * A signature binds the text the signer read: the form carries the hash of the version it
   * showed, and if another version was saved in the meantime nothing is signed and the page
   * shows the new text (with its diff) to sign again.
   */
  private assertSeen(current: VersionRow, seen: unknown, field: string) {
    if (seen !== undefined && seen !== current.content_sha256) throw AppError.invalid({ [field]: { key: 'errors.statementTextChanged' } }, 'errors.statementTextChanged');
  }

  /** Signing, cosigning and declining are open while circulated (or published) until the deadline. */
  private assertOpen(s: StatementRow, field: string) {
    if (s.state !== 'circulated' && s.state !== 'published') throw AppError.invalid({ [field]: { key: 'errors.statementNotCirculated' } }, 'errors.statementNotCirculated');
    if (deadlinePassed(s.deadline)) throw AppError.invalid({ [field]: { key: 'errors.statementDeadlinePassed' } }, 'errors.statementDeadlinePassed');
  }

  private async tellOwners(trx: Trx, id: string, event: 'signed' | 'declined' | 'withdrawn' | 'cosigned' | 'cosignWithdrawn', organisation: string) {
    const title = await this.title(id, trx);
    await this.p.mailer.queueInTheirLanguage(trx, await repo.ownerContacts(trx, id), (t) => ({
      subject: t(`statements.mail.${event}.subject`, { title, organisation }),
      text: t(`statements.mail.${event}.body`, { title, organisation, url: this.url(`/statements/${id}#signatories`) }),
    }));
  }

  /**
   * Signs the current version for an organisation: its number and the hash of its canonical
   * text are copied onto the signature. Signing again what one has signed changes nothing and
   * answers the same, so the answer says nothing about who has signed.
   */
  async sign(actor: Actor, id: string, chosen: unknown, seen?: unknown): Promise<void> {
    const me = advocacyPolicy.person(actor, 'sign');
    const access = await statementAccess(this.p.db, me, id);
    const organisationId = await this.signingFor(me, access, chosen);
    this.assertOpen(access.statement, 'sign');
    const name = me.memberships.find((m) => m.organisationId === organisationId)?.name ?? '';
    await this.p.db.transaction().execute(async (trx) => {
      const locked = (await lockStatement(trx, id)) as StatementRow;
      this.assertOpen(locked, 'sign');
      const current = currentVersion(await repo.versions(trx, id)) as VersionRow;
      this.assertSeen(current, seen, 'sign');
      const added = await repo.insertSignature(trx, {
        statement_id: id,
        version_number: current.number,
        content_sha256: current.content_sha256,
        organisation_id: organisationId,
        person_id: null,
        signer_id: me.id,
        appears_as: 'organisation',
        display_name: null,
        display_role: null,
      });
      if (!added) return;
      await repo.removeDecline(trx, id, organisationId);
      await this.tellOwners(trx, id, 'signed', name);
      await audit(trx, me, { action: 'statement.sign', recordType: 'statement', recordId: id });
    });
  }

  /** "We will not sign", with a reason only the drafters read. */
  async decline(actor: Actor, id: string, input: DeclineInput, chosen: unknown): Promise<void> {
    const me = advocacyPolicy.person(actor, 'sign');
    const access = await statementAccess(this.p.db, me, id);
    const organisationId = await this.signingFor(me, access, chosen);
    this.assertOpen(access.statement, 'reason');
    const name = me.memberships.find((m) => m.organisationId === organisationId)?.name ?? '';
    await this.p.db.transaction().execute(async (trx) => {
      await lockStatement(trx, id);
      const current = currentVersion(await repo.versions(trx, id)) as VersionRow;
      const own = await repo.ownSignatures(trx, id, [organisationId], undefined);
      if (own.some((x) => x.version_number === current.number)) throw AppError.invalid({ reason: { key: 'errors.statementDeclineSigned' } }, 'errors.statementDeclineSigned');
      await repo.upsertDecline(trx, id, organisationId, me.id, (input.reason ?? '').trim());
      await this.tellOwners(trx, id, 'declined', name);
      await audit(trx, me, { action: 'statement.decline', recordType: 'statement', recordId: id });
    });
  }

  /** Withdraws the organisation's signature, before or after publication; the row keeps its date. */
  async withdraw(actor: Actor, id: string, chosen: unknown): Promise<void> {
    const me = advocacyPolicy.person(actor, 'sign');
    const access = await statementAccess(this.p.db, me, id);
    const organisationId = await this.signingFor(me, access, chosen);
    const name = me.memberships.find((m) => m.organisationId === organisationId)?.name ?? '';
    await this.p.db.transaction().execute(async (trx) => {
      await lockStatement(trx, id);
      if ((await repo.withdrawSignatures(trx, id, { organisationId })) === 0) return;
      await this.tellOwners(trx, id, 'withdrawn', name);
      await audit(trx, me, { action: 'statement.withdrawSignature', recordType: 'statement', recordId: id });
    });
  }

  /** An individual co-signs, appearing exactly as they chose: by name, by a described role, or counted only. */
  async cosign(actor: Actor, id: string, input: CosignInput): Promise<void> {
    const me = advocacyPolicy.person(actor, 'cosign');
    const access = await statementAccess(this.p.db, me, id);
    if (!access.statement.allow_individuals) throw AppError.notFound();
    this.assertOpen(access.statement, 'appearsAs');
    const errors: FieldErrors = {};
    if (input.appearsAs === 'name' && !input.displayName) errors.displayName = { key: 'errors.statementDisplayName' };
    if (input.appearsAs === 'role' && !input.displayRole) errors.displayRole = { key: 'errors.statementDisplayRole' };
    if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
    await this.p.db.transaction().execute(async (trx) => {
      const locked = (await lockStatement(trx, id)) as StatementRow;
      this.assertOpen(locked, 'appearsAs');
      const current = currentVersion(await repo.versions(trx, id)) as VersionRow;
      this.assertSeen(current, input.sha256, 'appearsAs');
      const added = await repo.insertSignature(trx, {
        statement_id: id,
        version_number: current.number,
        content_sha256: current.content_sha256,
        organisation_id: null,
        person_id: me.id,
        signer_id: me.id,
        appears_as: input.appearsAs,
        // Only what they chose to show is kept: a name for "name", a role for "role", nothing else.
        display_name: input.appearsAs === 'name' ? (input.displayName ?? null) : null,
        display_role: input.appearsAs === 'role' ? (input.displayRole ?? null) : null,
      });
      if (!added) return;
      await this.tellOwners(trx, id, 'cosigned', '');
      await audit(trx, me, { action: 'statement.cosign', recordType: 'statement', recordId: id });
    });
  }

  async withdrawCosign(actor: Actor, id: string): Promise<void> {
    const me = advocacyPolicy.person(actor, 'cosign');
    await statementAccess(this.p.db, me, id);
    await this.p.db.transaction().execute(async (trx) => {
      await lockStatement(trx, id);
      if ((await repo.withdrawSignatures(trx, id, { personId: me.id })) === 0) return;
      await this.tellOwners(trx, id, 'cosignWithdrawn', '');
      await audit(trx, me, { action: 'statement.withdrawCosign', recordType: 'statement', recordId: id });
    });
  }

  // ---- publication -----------------------------------------------------------------------

  /** Publishes the current version; it needs at least one organisation's signature on it. */
  async publish(actor: Actor, id: string, chosen: unknown): Promise<void> {
    const me = advocacyPolicy.person(actor, 'draft');
    const access = await statementAccess(this.p.db, me, id);
    const organisationId = this.owning(me, access, chosen);
    // Publishing speaks in every signatory's name: only those who may sign for a drafting
    // organisation (its admin or a named signatory) do it, not any of its staff.
    await assertSignsFor(this.p.db, me, organisationId).catch(() => {
      throw AppError.invalid({ publish: { key: 'errors.statementPublishSignatory' } }, 'errors.statementPublishSignatory');
    });
    await this.p.db.transaction().execute(async (trx) => {
      const locked = (await lockStatement(trx, id)) as StatementRow;
      if (locked.state !== 'circulated' && locked.state !== 'published') throw AppError.invalid({ publish: { key: 'errors.statementNotCirculated' } }, 'errors.statementNotCirculated');
      const current = currentVersion(await repo.versions(trx, id)) as VersionRow;
      if (current.published_at !== null) throw AppError.invalid({ publish: { key: 'errors.statementAlreadyPublished' } }, 'errors.statementAlreadyPublished');
      if ((await repo.organisationSignatureCount(trx, id, current.number)) < 1) throw AppError.invalid({ publish: { key: 'errors.statementNeedsSignature' } }, 'errors.statementNeedsSignature');
      const now = new Date();
      await repo.markPublished(trx, id, current.number, now);
      await repo.updateStatement(trx, id, { state: 'published', published_version: current.number, ...(locked.published_at ? {} : { published_at: now }) });
      await audit(trx, me, { action: 'statement.publish', recordType: 'statement', recordId: id });
    });
  }

  // ---- deadline reminders ----------------------------------------------------------------

  /** Queues the reminder for two days before the deadline (at once if that day has come). */
  private async scheduleReminder(trx: Trx, id: string, deadline: string) {
    const startAfter = new Date(`${addDays(deadline, -REMINDER_DAYS_BEFORE)}T07:00:00Z`);
    await this.p.jobs.enqueue(trx, DEADLINE_REMINDER_JOB, { statementId: id }, startAfter > new Date() ? { startAfter } : {});
  }

  /**
   * Reminds the organisations that have neither signed nor declined, once (deadline_reminded_at),
   * and only in the last days before the deadline. Returns how many organisations were reminded.
   */
  async sendDeadlineReminder(id: string, now = today()): Promise<number> {
    return this.p.db.transaction().execute(async (trx) => {
      const s = await lockStatement(trx, id);
      if (!s || s.state === 'drafting' || s.state === 'withdrawn' || s.deadline_reminded_at || !s.deadline) return 0;
      if (now > s.deadline || now < addDays(s.deadline, -REMINDER_DAYS_BEFORE)) return 0;
      if (s.state === 'published' && (currentVersion(await repo.versions(trx, id)) as VersionRow).published_at !== null) return 0;
      const silent = await repo.silentOrganisationIds(trx, id, s.include_associates);
      const title = await this.title(id, trx);
      const deadline = s.deadline;
      await this.p.mailer.queueInTheirLanguage(trx, await repo.staffContacts(trx, silent), (t) => ({
        subject: t('statements.mail.reminder.subject', { title, deadline }),
        text: t('statements.mail.reminder.body', { title, deadline, url: this.url(`/statements/${id}#sign`) }),
      }));
      await repo.updateStatement(trx, id, { deadline_reminded_at: new Date() });
      await audit(trx, null, { action: 'statement.deadlineReminder', recordType: 'statement', recordId: id });
      return silent.length;
    });
  }

  /** Every reminder due today, for a scheduler that missed a job (idempotent). */
  async sendDueReminders(now = today()): Promise<number> {
    let n = 0;
    for (const s of await repo.dueForReminder(this.p.db, now, addDays(now, REMINDER_DAYS_BEFORE))) n += await this.sendDeadlineReminder(s.id, now);
    return n;
  }

  private async title(id: string, db: Trx | Platform['db'] = this.p.db): Promise<string> {
    return currentVersion(await repo.versions(db, id))?.title ?? '';
  }

  // ---- naming signatories ----------------------------------------------------------------

  /** The page: for each organisation the person administers, its staff; and their own namings. */
  async signatories(actor: Actor) {
    const me = advocacyPolicy.person(actor, 'answerSignatory');
    const administered = me.memberships.filter((m) => m.role === 'org_admin' && (m.standing ?? 'member') === 'member');
    const organisations = await Promise.all(
      administered.map(async (m) => ({ organisationId: m.organisationId, name: m.name, staff: await repo.staffWithSignatoryState(this.p.db, m.organisationId) })),
    );
    return { organisations, invitations: await repo.signatoryInvitations(this.p.db, me.id) };
  }

  private administers(me: PersonActor, organisationId: string) {
    const m = me.memberships.find((x) => x.organisationId === organisationId && x.role === 'org_admin');
    if (!m) throw AppError.notFound();
    return m;
  }

  /** The org admin names a staff member; they sign only once they accept. */
  async nameSignatory(actor: Actor, organisationId: string, input: NameSignatoryInput): Promise<void> {
    const me = advocacyPolicy.person(actor, 'nameSignatories');
    const m = this.administers(me, organisationId);
    if (!(await repo.isStaff(this.p.db, organisationId, input.person))) throw AppError.field('person', 'errors.choice');
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.nameSignatory(trx, organisationId, input.person, me.id))) return;
      const contact = await repo.personContact(trx, input.person);
      await this.p.mailer.queueInTheirLanguage(trx, contact ? [contact] : [], (t: Translate) => ({
        subject: t('signatories.mail.named.subject', { organisation: m.name }),
        text: t('signatories.mail.named.body', { organisation: m.name, url: this.url('/organisations/signatories') }),
      }));
      await audit(trx, me, { action: 'signatory.name', recordType: 'organisation_signatory', recordId: `${organisationId}/${input.person}` });
    });
  }

  async answerSignatory(actor: Actor, organisationId: string, answer: 'accepted' | 'declined'): Promise<void> {
    const me = advocacyPolicy.person(actor, 'answerSignatory');
    if (!me.memberships.some((m) => m.organisationId === organisationId)) throw AppError.notFound();
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.answerSignatory(trx, organisationId, me.id, answer))) throw AppError.notFound();
      await audit(trx, me, { action: answer === 'accepted' ? 'signatory.accept' : 'signatory.decline', recordType: 'organisation_signatory', recordId: `${organisationId}/${me.id}` });
    });
  }

  async removeSignatory(actor: Actor, organisationId: string, personId: string): Promise<void> {
    const me = advocacyPolicy.person(actor, 'nameSignatories');
    this.administers(me, organisationId);
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.removeSignatory(trx, organisationId, personId))) throw AppError.notFound();
      await audit(trx, me, { action: 'signatory.remove', recordType: 'organisation_signatory', recordId: `${organisationId}/${personId}` });
    });
  }
}
