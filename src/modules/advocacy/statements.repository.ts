import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { StatementKind } from './statements.schemas.ts';

type Q = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;

// ---- statements ---------------------------------------------------------------------------

export async function insertStatement(
  trx: Trx,
  values: { kind: StatementKind; organisation_id: string; created_by: string; language: string; countries: string[]; include_associates: boolean; allow_individuals: boolean },
): Promise<string> {
  const { id } = await trx.insertInto('statements').values({ ...values, updated_at: new Date() }).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function updateStatement(
  trx: Trx,
  id: string,
  values: Partial<{
    kind: StatementKind;
    language: string;
    countries: string[];
    include_associates: boolean;
    allow_individuals: boolean;
    state: 'drafting' | 'circulated' | 'published' | 'withdrawn';
    deadline: string | null;
    circulated_at: Date;
    published_at: Date;
    published_version: number;
    deadline_reminded_at: Date | null;
  }>,
): Promise<void> {
  await trx.updateTable('statements').set({ ...values, updated_at: new Date() }).where('id', '=', id).execute();
}

/** Who is reading, as the list query needs it: the same facts access.ts decides from. */
export interface ListViewer {
  signedIn: boolean;
  convener: boolean;
  /** Organisations the reader is staff of (member or associate standing). */
  organisationIds: readonly string[];
  /** Whether one of them is a member organisation (circulated statements reach all members). */
  inMemberOrganisation: boolean;
  inAssociateOrganisation: boolean;
}

/**
 * Statements the reader may see, newest first, with the title of the version they read. The
 * conditions are access.ts `accessTo` as SQL: published for all; drafters and invited
 * drafters always; once circulated, member organisations' staff, associate organisations'
 * where chosen, the convener, and anyone signed in where individuals may co-sign.
 */
export async function listStatements(db: Q, viewer: ListViewer, limit = 200) {
  return listQuery(db, viewer).orderBy(sql`coalesce(s.published_at, s.created_at)`, 'desc').limit(limit).execute();
}

/** Statements circulated for signing in (since, until] that the reader may read (the list's rule), newest first, with how many in all: for their digest. */
export async function circulatedBetween(db: Q, viewer: ListViewer, since: Date, until: Date, limit: number) {
  const rows = await listQuery(db, viewer)
    .select(sql<number>`count(*) over ()`.as('total'))
    .where('s.state', '=', 'circulated')
    .where('s.circulated_at', '>', since)
    .where('s.circulated_at', '<=', until)
    .orderBy('s.circulated_at', 'desc')
    .limit(limit)
    .execute();
  return { rows, total: Number(rows[0]?.total ?? 0) };
}

function listQuery(db: Q, viewer: ListViewer) {
  const ids = viewer.organisationIds;
  const circulatedTo: ReturnType<typeof sql<boolean>>[] = [];
  if (viewer.inMemberOrganisation || viewer.convener) circulatedTo.push(sql<boolean>`true`);
  if (viewer.inAssociateOrganisation) circulatedTo.push(sql<boolean>`s.include_associates`);
  if (viewer.signedIn) circulatedTo.push(sql<boolean>`s.allow_individuals`);
  const conditions = [sql<boolean>`s.state = 'published'`];
  if (ids.length > 0) {
    const list = sql.join(ids.map((id) => sql`${id}::uuid`));
    conditions.push(sql<boolean>`exists (select 1 from statement_drafters d where d.statement_id = s.id and d.state in ('accepted', 'invited') and d.organisation_id in (${list}))`);
  }
  if (circulatedTo.length > 0) conditions.push(sql<boolean>`(s.state = 'circulated' and (${sql.join(circulatedTo, sql` or `)}))`);
  return db
    .selectFrom('statements as s')
    .innerJoin('organisations as o', 'o.id', 's.organisation_id')
    .innerJoin('statement_versions as v', (j) =>
      j
        .onRef('v.statement_id', '=', 's.id')
        .on(
          'v.number',
          '=',
          sql<number>`coalesce(s.published_version, (select max(x.number) from statement_versions x where x.statement_id = s.id and x.translation_of is null))`,
        ),
    )
    .select(['s.id', 's.number', 's.kind', 's.state', 's.language', 's.deadline', 's.circulated_at', 's.published_at', 's.created_at', 'o.name as organisation_name', 'v.title', 'v.summary'])
    .where(sql<boolean>`(${sql.join(conditions, sql` or `)})`);
}
export type StatementListRow = Awaited<ReturnType<typeof listStatements>>[number];

// ---- versions -----------------------------------------------------------------------------

export interface VersionValues {
  language: string;
  title: string;
  summary: string;
  body: string;
  asks: string[];
  content_sha256: string;
}

export async function insertVersion(
  trx: Trx,
  values: VersionValues & { statement_id: string; number: number; note?: string; translation_of?: number | null; author_id: string; author_organisation_id: string; published_at?: Date | null },
): Promise<void> {
  await trx.insertInto('statement_versions').values(values).execute();
}

/** Only ever for a version no one has signed: the working version while drafting. */
export async function updateVersion(trx: Trx, statementId: string, number: number, values: VersionValues & { author_id: string; author_organisation_id: string }): Promise<void> {
  await trx.updateTable('statement_versions').set(values).where('statement_id', '=', statementId).where('number', '=', number).where('published_at', 'is', null).execute();
}

export async function versions(db: Q, statementId: string) {
  return db
    .selectFrom('statement_versions as v')
    .leftJoin('organisations as o', 'o.id', 'v.author_organisation_id')
    .leftJoin('people as p', 'p.id', 'v.author_id')
    .select([
      'v.number',
      'v.language',
      'v.title',
      'v.summary',
      'v.body',
      'v.asks',
      'v.content_sha256',
      'v.note',
      'v.translation_of',
      'v.published_at',
      'v.created_at',
      'o.name as author_organisation',
      'p.display_name as author_name',
    ])
    .where('v.statement_id', '=', statementId)
    .orderBy('v.number')
    .execute();
}
export type VersionRow = Awaited<ReturnType<typeof versions>>[number];

export async function lastVersionNumber(trx: Trx, statementId: string): Promise<number> {
  const row = await trx.selectFrom('statement_versions').select((eb) => eb.fn.max('number').as('n')).where('statement_id', '=', statementId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** At publication the version, and the translations made of it, become public and fixed. */
export async function markPublished(trx: Trx, statementId: string, number: number, at: Date): Promise<void> {
  await trx
    .updateTable('statement_versions')
    .set({ published_at: at })
    .where('statement_id', '=', statementId)
    .where((eb) => eb.or([eb('number', '=', number), eb('translation_of', '=', number)]))
    .where('published_at', 'is', null)
    .execute();
}

// ---- alerts and signs it responds to ------------------------------------------------------

export async function setAlerts(trx: Trx, statementId: string, alertIds: readonly string[]): Promise<void> {
  await trx.deleteFrom('statement_alerts').where('statement_id', '=', statementId).execute();
  if (alertIds.length > 0) await trx.insertInto('statement_alerts').values(alertIds.map((alert_id) => ({ statement_id: statementId, alert_id }))).execute();
}

export async function setSigns(trx: Trx, statementId: string, signIds: readonly string[]): Promise<void> {
  await trx.deleteFrom('statement_signs').where('statement_id', '=', statementId).execute();
  if (signIds.length > 0) await trx.insertInto('statement_signs').values(signIds.map((sign_id) => ({ statement_id: statementId, sign_id }))).execute();
}

/** The alerts it responds to that this reader may see (warnings' rule: network-only to the network). */
export async function statementAlerts(db: Q, statementId: string, network: boolean) {
  let q = db
    .selectFrom('statement_alerts as sa')
    .innerJoin('alerts', 'alerts.id', 'sa.alert_id')
    .select(['alerts.id', 'alerts.number', 'alerts.country', 'alerts.severity', 'alerts.status', 'alerts.sensitivity'])
    .where('sa.statement_id', '=', statementId);
  if (!network) q = q.where('alerts.sensitivity', '=', 'public').where('alerts.status', '!=', 'proposed');
  return q.orderBy('alerts.number').execute();
}

export async function statementAlertIds(db: Q, statementId: string): Promise<string[]> {
  return (await db.selectFrom('statement_alerts').select('alert_id').where('statement_id', '=', statementId).execute()).map((r) => r.alert_id);
}

export async function statementSignIds(db: Q, statementId: string): Promise<string[]> {
  return (await db.selectFrom('statement_signs').select('sign_id').where('statement_id', '=', statementId).execute()).map((r) => r.sign_id);
}


// ---- drafters -----------------------------------------------------------------------------

export async function insertDrafter(trx: Trx, statementId: string, organisationId: string, state: 'invited' | 'accepted', by: string): Promise<boolean> {
  const rows = await trx
    .insertInto('statement_drafters')
    .values({ statement_id: statementId, organisation_id: organisationId, state, invited_by: by, ...(state === 'accepted' ? { answered_by: by, answered_at: new Date() } : {}) })
    .onConflict((oc) => oc.columns(['statement_id', 'organisation_id']).doNothing())
    .returning('organisation_id')
    .execute();
  return rows.length > 0;
}

export async function answerDrafter(trx: Trx, statementId: string, organisationId: string, state: 'accepted' | 'declined', by: string): Promise<boolean> {
  const rows = await trx
    .updateTable('statement_drafters')
    .set({ state, answered_by: by, answered_at: new Date() })
    .where('statement_id', '=', statementId)
    .where('organisation_id', '=', organisationId)
    .where('state', '=', 'invited')
    .returning('organisation_id')
    .execute();
  return rows.length > 0;
}

/** Member organisations an owner may invite to co-draft (not yet asked). */
export async function invitableOrganisations(db: Q, statementId: string) {
  return db
    .selectFrom('organisations as o')
    .select(['o.id', 'o.name'])
    .where('o.status', '=', 'member')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('statement_drafters as d').select('d.organisation_id').whereRef('d.organisation_id', '=', 'o.id').where('d.statement_id', '=', statementId))))
    .orderBy('o.name')
    .execute();
}

export async function organisationName(db: Q, id: string): Promise<string | undefined> {
  return (await db.selectFrom('organisations').select('name').where('id', '=', id).executeTakeFirst())?.name;
}

// ---- comments -----------------------------------------------------------------------------

export async function insertComment(trx: Trx, values: { statement_id: string; version_number: number; organisation_id: string; person_id: string; body: string }): Promise<string> {
  return (await trx.insertInto('statement_comments').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function comments(db: Q, statementId: string) {
  return db
    .selectFrom('statement_comments as c')
    .leftJoin('organisations as o', 'o.id', 'c.organisation_id')
    .leftJoin('people as p', 'p.id', 'c.person_id')
    .select(['c.id', 'c.version_number', 'c.body', 'c.created_at', 'o.name as organisation_name', 'p.display_name as person_name'])
    .where('c.statement_id', '=', statementId)
    .orderBy('c.created_at')
    .execute();
}

// ---- signatures and declines --------------------------------------------------------------

export async function insertSignature(
  trx: Trx,
  values: {
    statement_id: string;
    version_number: number;
    content_sha256: string;
    organisation_id: string | null;
    person_id: string | null;
    signer_id: string;
    appears_as: 'organisation' | 'name' | 'role' | 'counted';
    display_name: string | null;
    display_role: string | null;
  },
): Promise<boolean> {
  // The partial unique indexes make a second signature of one version a no-op, even in a race.
  const rows = await trx
    .insertInto('statement_signatures')
    .values({ ...values, signed_at: new Date() })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  return rows.length > 0;
}

/** Withdraws the standing signatures of an organisation (or, with `personId`, of an individual). */
export async function withdrawSignatures(trx: Trx, statementId: string, who: { organisationId: string } | { personId: string }): Promise<number> {
  let q = trx.updateTable('statement_signatures').set({ withdrawn_at: new Date() }).where('statement_id', '=', statementId).where('withdrawn_at', 'is', null);
  q = 'organisationId' in who ? q.where('organisation_id', '=', who.organisationId) : q.where('person_id', '=', who.personId).where('organisation_id', 'is', null);
  const rows = await q.returning('id').execute();
  return rows.length;
}

/** The reader's own standing signatures: their organisations' and their own. */
export async function ownSignatures(db: Q, statementId: string, organisationIds: readonly string[], personId: string | undefined) {
  if (organisationIds.length === 0 && !personId) return [];
  return db
    .selectFrom('statement_signatures')
    .select(['organisation_id', 'person_id', 'version_number', 'appears_as', 'signed_at'])
    .where('statement_id', '=', statementId)
    .where('withdrawn_at', 'is', null)
    .where((eb) => {
      const parts = [];
      if (organisationIds.length > 0) parts.push(eb('organisation_id', 'in', organisationIds));
      if (personId) parts.push(eb.and([eb('person_id', '=', personId), eb('organisation_id', 'is', null)]));
      return eb.or(parts);
    })
    .orderBy('version_number', 'desc')
    .execute();
}

export async function organisationSignatureCount(db: Q, statementId: string, version: number): Promise<number> {
  const row = await db
    .selectFrom('statement_signatures')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('statement_id', '=', statementId)
    .where('version_number', '=', version)
    .where('organisation_id', 'is not', null)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function upsertDecline(trx: Trx, statementId: string, organisationId: string, personId: string, reason: string): Promise<void> {
  await trx
    .insertInto('statement_declines')
    .values({ statement_id: statementId, organisation_id: organisationId, person_id: personId, reason })
    .onConflict((oc) => oc.columns(['statement_id', 'organisation_id']).doUpdateSet({ reason, person_id: personId }))
    .execute();
}

export async function removeDecline(trx: Trx, statementId: string, organisationId: string): Promise<void> {
  await trx.deleteFrom('statement_declines').where('statement_id', '=', statementId).where('organisation_id', '=', organisationId).execute();
}

export async function declines(db: Q, statementId: string) {
  return db
    .selectFrom('statement_declines as d')
    .innerJoin('organisations as o', 'o.id', 'd.organisation_id')
    .select(['d.organisation_id', 'o.name as organisation_name', 'd.reason', 'd.created_at'])
    .where('d.statement_id', '=', statementId)
    .orderBy('d.created_at')
    .execute();
}

// ---- who is told --------------------------------------------------------------------------

const activeWithEmail = (db: Q) =>
  db.selectFrom('memberships as m').innerJoin('people as pe', 'pe.id', 'm.person_id').where('pe.status', '=', 'active').where('pe.email', 'is not', null);

/** Staff of these organisations, with the language each reads. */
export async function staffContacts(db: Q, organisationIds: readonly string[]) {
  if (organisationIds.length === 0) return [];
  return activeWithEmail(db).select(['pe.email', 'pe.locale']).distinct().where('m.organisation_id', 'in', organisationIds).execute();
}

/** Staff of the organisations drafting it (accepted): the statement's owners. */
export async function ownerContacts(db: Q, statementId: string) {
  return activeWithEmail(db)
    .innerJoin('statement_drafters as d', 'd.organisation_id', 'm.organisation_id')
    .select(['pe.email', 'pe.locale'])
    .distinct()
    .where('d.statement_id', '=', statementId)
    .where('d.state', '=', 'accepted')
    .execute();
}

/** The organisations a circulated statement goes to: every member one, associates if chosen. */
export async function audienceOrganisationIds(db: Q, includeAssociates: boolean): Promise<string[]> {
  const rows = await db
    .selectFrom('organisations')
    .select('id')
    .where('status', 'in', includeAssociates ? ['member', 'associate'] : ['member'])
    .execute();
  return rows.map((r) => r.id);
}

/** Of the audience, the organisations that have neither signed (any version, not withdrawn) nor declined. */
/**
 * Organisations that have neither signed the current version nor declined: a signature on an
 * earlier version does not count at publication, so its organisation is reminded too.
 */
export async function silentOrganisationIds(db: Q, statementId: string, includeAssociates: boolean): Promise<string[]> {
  const current = db.selectFrom('statement_versions').select((eb) => eb.fn.max('number').as('n')).where('statement_id', '=', statementId).where('translation_of', 'is', null);
  const rows = await db
    .selectFrom('organisations as o')
    .select('o.id')
    .where('o.status', 'in', includeAssociates ? ['member', 'associate'] : ['member'])
    .where((eb) =>
      eb.not(
        eb.or([
          eb.exists(
            eb
              .selectFrom('statement_signatures as s')
              .select('s.id')
              .whereRef('s.organisation_id', '=', 'o.id')
              .where('s.statement_id', '=', statementId)
              .where('s.withdrawn_at', 'is', null)
              .where('s.version_number', '=', current),
          ),
          eb.exists(eb.selectFrom('statement_declines as d').select('d.organisation_id').whereRef('d.organisation_id', '=', 'o.id').where('d.statement_id', '=', statementId)),
        ]),
      ),
    )
    .execute();
  return rows.map((r) => r.id);
}

/** Circulated statements whose deadline is within `days` days and whose reminder has not gone. */
export async function dueForReminder(db: Q, todayIso: string, untilIso: string) {
  return db
    .selectFrom('statements')
    .select('id')
    .where('state', '=', 'circulated')
    .where('deadline_reminded_at', 'is', null)
    .where('deadline', '>=', todayIso)
    .where('deadline', '<=', untilIso)
    .execute();
}

export async function personContact(db: Q, personId: string) {
  return db.selectFrom('people').select(['email', 'locale']).where('id', '=', personId).where('status', '=', 'active').executeTakeFirst();
}

// ---- named signatories --------------------------------------------------------------------

/** An organisation's staff, each with whether they are named to sign for it. */
export async function staffWithSignatoryState(db: Q, organisationId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('people as pe', 'pe.id', 'm.person_id')
    .leftJoin('organisation_signatories as s', (j) => j.onRef('s.person_id', '=', 'm.person_id').onRef('s.organisation_id', '=', 'm.organisation_id'))
    .select(['pe.id', 'pe.display_name', 'm.role', 's.state as signatory_state', 's.answered_at'])
    .where('m.organisation_id', '=', organisationId)
    .where('pe.status', '=', 'active')
    .orderBy('pe.display_name')
    .execute();
}

export async function isStaff(db: Q, organisationId: string, personId: string): Promise<boolean> {
  const row = await db.selectFrom('memberships').select('person_id').where('organisation_id', '=', organisationId).where('person_id', '=', personId).executeTakeFirst();
  return row !== undefined;
}

/** Names someone again after a decline or removal; an accepted or pending naming stays as it is. */
export async function nameSignatory(trx: Trx, organisationId: string, personId: string, by: string): Promise<boolean> {
  const rows = await trx
    .insertInto('organisation_signatories')
    .values({ organisation_id: organisationId, person_id: personId, named_by: by })
    .onConflict((oc) =>
      oc.columns(['organisation_id', 'person_id']).doUpdateSet({ state: 'invited', named_by: by, answered_at: null }).where('organisation_signatories.state', '=', 'declined'),
    )
    .returning('person_id')
    .execute();
  return rows.length > 0;
}

export async function answerSignatory(trx: Trx, organisationId: string, personId: string, state: 'accepted' | 'declined'): Promise<boolean> {
  const rows = await trx
    .updateTable('organisation_signatories')
    .set({ state, answered_at: new Date() })
    .where('organisation_id', '=', organisationId)
    .where('person_id', '=', personId)
    .where('state', '=', 'invited')
    .returning('person_id')
    .execute();
  return rows.length > 0;
}

export async function removeSignatory(trx: Trx, organisationId: string, personId: string): Promise<boolean> {
  const rows = await trx.deleteFrom('organisation_signatories').where('organisation_id', '=', organisationId).where('person_id', '=', personId).returning('person_id').execute();
  return rows.length > 0;
}

/** Namings waiting for this person's answer. */
export async function signatoryInvitations(db: Q, personId: string) {
  return db
    .selectFrom('organisation_signatories as s')
    .innerJoin('organisations as o', 'o.id', 's.organisation_id')
    .select(['s.organisation_id', 'o.name as organisation_name', 's.state', 's.created_at'])
    .where('s.person_id', '=', personId)
    .orderBy('s.created_at')
    .execute();
}
