import { type Kysely, sql, type Transaction } from 'kysely';
import type { ConsultationsTable, ConsultationState, DB } from '../../db/schema.ts';

type Q = Kysely<DB> | Transaction<DB>;
type Writable = Omit<ConsultationsTable, 'id' | 'state' | 'opened_at' | 'closed_at' | 'loop_closed_at' | 'created_at' | 'updated_at' | 'created_by' | 'organisation_id' | 'languages'> & { languages: string[] };

const COLUMNS = [
  'c.id', 'c.organisation_id', 'c.title', 'c.purpose', 'c.decision', 'c.decision_maker', 'c.can_change', 'c.cannot_change', 'c.format',
  'c.starts_on', 'c.ends_on', 'c.languages', 'c.interpretation', 'c.accessibility', 'c.compensation_minor', 'c.compensation_currency',
  'c.compensation_basis', 'c.no_compensation_reason', 'c.missing_who', 'c.missing_why', 'c.missing_steps', 'c.state', 'c.opened_at',
  'c.closed_at', 'c.loop_closed_at', 'c.created_at',
] as const;

export async function findConsultation(db: Q, id: string) {
  return db
    .selectFrom('consultations as c')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .select([...COLUMNS, 'o.name as organisation_name', 'o.slug as organisation_slug'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}
export type ConsultationRow = NonNullable<Awaited<ReturnType<typeof findConsultation>>>;

export async function lockConsultation(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('consultations').select(['id', 'state', 'organisation_id']).where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * Lead and co-organising organisations. Only accepted co-organisers count: a request
 * gives no rights and shows no participant until the lead organisation accepts it.
 */
export async function organisers(db: Q, id: string) {
  const lead = await db.selectFrom('consultations').select('organisation_id').where('id', '=', id).executeTakeFirst();
  const co = await db
    .selectFrom('consultation_organisers as co')
    .innerJoin('organisations as o', 'o.id', 'co.organisation_id')
    .select(['o.id', 'o.name'])
    .where('co.consultation_id', '=', id)
    .where('co.state', '=', 'accepted')
    .orderBy('o.name')
    .execute();
  return { lead: lead?.organisation_id, co };
}

/** Every request to co-organise, whatever its answer, with who asked. */
export async function coOrganiserRequests(db: Q, id: string) {
  return db
    .selectFrom('consultation_organisers as co')
    .innerJoin('organisations as o', 'o.id', 'co.organisation_id')
    .leftJoin('people as pe', 'pe.id', 'co.requested_by')
    .select(['o.id as organisation_id', 'o.name', 'co.state', 'co.created_at', 'co.answered_at', 'pe.display_name as requested_by_name'])
    .where('co.consultation_id', '=', id)
    .orderBy('co.created_at')
    .execute();
}

/** A request from this organisation; false when it had already asked (whatever the answer). */
export async function requestOrganiser(trx: Transaction<DB>, id: string, organisationId: string, by: string): Promise<boolean> {
  const rows = await trx
    .insertInto('consultation_organisers')
    .values({ consultation_id: id, organisation_id: organisationId, state: 'requested', requested_by: by })
    .onConflict((oc) => oc.doNothing())
    .returning('organisation_id')
    .execute();
  return rows.length > 0;
}

/** The lead's answer to a pending request; undefined when there is none still pending. */
export async function answerRequest(trx: Transaction<DB>, id: string, organisationId: string, state: 'accepted' | 'declined', by: string) {
  return trx
    .updateTable('consultation_organisers')
    .set({ state, answered_by: by, answered_at: new Date() })
    .where('consultation_id', '=', id)
    .where('organisation_id', '=', organisationId)
    .where('state', '=', 'requested')
    .returning(['requested_by'])
    .executeTakeFirst();
}

export async function requestState(db: Q, id: string, organisationId: string) {
  return (await db.selectFrom('consultation_organisers').select('state').where('consultation_id', '=', id).where('organisation_id', '=', organisationId).executeTakeFirst())?.state;
}

export async function organisationName(db: Q, organisationId: string) {
  return (await db.selectFrom('organisations').select('name').where('id', '=', organisationId).executeTakeFirst())?.name;
}

/** The person who asked, to tell them the answer in their language. */
export async function personContact(db: Q, personId: string) {
  return db.selectFrom('people').select(['id', 'email', 'locale']).where('id', '=', personId).where('status', '=', 'active').executeTakeFirst();
}

export async function consultationCommunities(db: Q, id: string) {
  return db
    .selectFrom('consultation_communities as cc')
    .innerJoin('communities as m', 'm.id', 'cc.community_id')
    .select(['m.id', 'm.name'])
    .where('cc.consultation_id', '=', id)
    .orderBy('m.name')
    .execute();
}

export async function insertConsultation(trx: Transaction<DB>, values: Writable & { organisation_id: string; created_by: string }, communities: readonly string[]) {
  const { id } = await trx.insertInto('consultations').values(values).returning('id').executeTakeFirstOrThrow();
  await setCommunities(trx, id, communities);
  return id;
}

export async function updateConsultation(trx: Transaction<DB>, id: string, values: Writable, communities: readonly string[]) {
  await trx.updateTable('consultations').set({ ...values, updated_at: new Date() }).where('id', '=', id).execute();
  await setCommunities(trx, id, communities);
}

async function setCommunities(trx: Transaction<DB>, id: string, communities: readonly string[]) {
  await trx.deleteFrom('consultation_communities').where('consultation_id', '=', id).execute();
  await trx
    .insertInto('consultation_communities')
    .values(communities.map((community_id) => ({ consultation_id: id, community_id })))
    .execute();
}

export async function setState(trx: Transaction<DB>, id: string, state: ConsultationState) {
  const at = new Date();
  const stamp = state === 'open' ? { opened_at: at } : state === 'closed' ? { closed_at: at } : state === 'loop_closed' ? { loop_closed_at: at } : {};
  await trx.updateTable('consultations').set({ state, updated_at: at, ...stamp }).where('id', '=', id).execute();
}

/** Open and closed consultations for everyone; drafts only for their organisers. */
export async function listConsultations(db: Q, organisationIds: readonly string[]) {
  return db
    .selectFrom('consultations as c')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .select(['c.id', 'c.title', 'c.state', 'c.format', 'c.starts_on', 'c.ends_on', 'c.opened_at', 'o.name as organisation_name'])
    .where((eb) =>
      organisationIds.length > 0
        ? eb.or([
            eb('c.state', '!=', 'draft'),
            eb('c.organisation_id', 'in', [...organisationIds]),
            eb.exists(
              eb
                .selectFrom('consultation_organisers as co')
                .select('co.consultation_id')
                .whereRef('co.consultation_id', '=', 'c.id')
                .where('co.organisation_id', 'in', [...organisationIds])
                .where('co.state', '=', 'accepted'),
            ),
          ])
        : eb('c.state', '!=', 'draft'),
    )
    .orderBy(sql`case c.state when 'open' then 0 when 'draft' then 1 when 'closed' then 2 else 3 end`)
    .orderBy('c.created_at', 'desc')
    .limit(200)
    .execute();
}

/** Other organisations' draft or open consultations with any of these communities: join forces. */
export async function overlapping(db: Q, id: string, organisationId: string) {
  return db
    .selectFrom('consultations as c')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .innerJoin('consultation_communities as cc', 'cc.consultation_id', 'c.id')
    .select(['c.id', 'c.title', 'c.state', 'c.starts_on', 'o.name as organisation_name'])
    .distinct()
    .where('c.id', '!=', id)
    .where('c.organisation_id', '!=', organisationId)
    .where('c.state', 'in', ['draft', 'open'])
    .where('cc.community_id', 'in', (eb) => eb.selectFrom('consultation_communities').select('community_id').where('consultation_id', '=', id))
    .execute();
}

// ---- participants -----------------------------------------------------------------------

export async function addParticipant(trx: Transaction<DB>, id: string, personId: string, visible: boolean) {
  const rows = await trx.insertInto('consultation_participants').values({ consultation_id: id, person_id: personId, visible }).onConflict((oc) => oc.doNothing()).returning('person_id').execute();
  return rows.length > 0;
}

/** Leaving while it is open: what they are owed stays owed (payments keep the person). */
export async function removeParticipant(trx: Transaction<DB>, id: string, personId: string): Promise<boolean> {
  const rows = await trx.deleteFrom('consultation_participants').where('consultation_id', '=', id).where('person_id', '=', personId).returning('person_id').execute();
  return rows.length > 0;
}

export async function participation(db: Q, id: string, personId: string) {
  return db.selectFrom('consultation_participants').select(['visible', 'minutes', 'created_at']).where('consultation_id', '=', id).where('person_id', '=', personId).executeTakeFirst();
}

/** Everyone taking part, for the organisers (who pay them). */
export async function participants(db: Q, id: string) {
  return db
    .selectFrom('consultation_participants as p')
    .innerJoin('people as pe', 'pe.id', 'p.person_id')
    .select(['p.person_id', 'p.visible', 'p.minutes', 'p.created_at', sql<string>`coalesce(pe.pseudonym, pe.display_name)`.as('name')])
    .where('p.consultation_id', '=', id)
    .orderBy('p.created_at')
    .execute();
}

/** Those who chose to be seen by the others. */
export async function visibleParticipants(db: Q, id: string) {
  return db
    .selectFrom('consultation_participants as p')
    .innerJoin('people as pe', 'pe.id', 'p.person_id')
    .select([sql<string>`coalesce(pe.pseudonym, pe.display_name)`.as('name')])
    .where('p.consultation_id', '=', id)
    .where('p.visible', '=', true)
    .orderBy('p.created_at')
    .execute();
}

export async function participantCount(db: Q, id: string): Promise<number> {
  const row = await db.selectFrom('consultation_participants').select((eb) => eb.fn.countAll<number>().as('n')).where('consultation_id', '=', id).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setMinutes(trx: Transaction<DB>, id: string, personId: string, minutes: number) {
  const rows = await trx.updateTable('consultation_participants').set({ minutes }).where('consultation_id', '=', id).where('person_id', '=', personId).returning('person_id').execute();
  return rows.length > 0;
}

export async function participantContacts(db: Q, id: string) {
  return db
    .selectFrom('consultation_participants as p')
    .innerJoin('people as pe', 'pe.id', 'p.person_id')
    .select(['pe.id', 'pe.email', 'pe.locale'])
    .where('p.consultation_id', '=', id)
    .where('pe.status', '=', 'active')
    .execute();
}

/** Members of the consultation's communities, told when it opens. */
export async function communityMemberContacts(db: Q, id: string) {
  return db
    .selectFrom('community_members as m')
    .innerJoin('people as pe', 'pe.id', 'm.person_id')
    .select(['pe.id', 'pe.email', 'pe.locale'])
    .distinct()
    .where('m.community_id', 'in', (eb) => eb.selectFrom('consultation_communities').select('community_id').where('consultation_id', '=', id))
    .where('pe.status', '=', 'active')
    .where('pe.email', 'is not', null)
    .execute();
}

/** Consultations a participant takes part in. */
export async function consultationsOf(db: Q, personId: string) {
  return db
    .selectFrom('consultation_participants as p')
    .innerJoin('consultations as c', 'c.id', 'p.consultation_id')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .select(['c.id', 'c.title', 'c.state', 'c.loop_closed_at', 'o.name as organisation_name'])
    .where('p.person_id', '=', personId)
    .orderBy('p.created_at', 'desc')
    .execute();
}

// ---- feedback ---------------------------------------------------------------------------

export async function feedback(db: Q, id: string) {
  return db.selectFrom('consultation_feedback').select(['heard', 'did', 'did_not', 'published_at']).where('consultation_id', '=', id).executeTakeFirst();
}

export async function insertFeedback(trx: Transaction<DB>, id: string, f: { heard: string; did: string; did_not: string }, by: string) {
  await trx.insertInto('consultation_feedback').values({ consultation_id: id, ...f, published_by: by }).execute();
}

// ---- track record -----------------------------------------------------------------------

/** Per organisation: consultations run, loops closed, days to feedback, payments on time. */
export async function trackRecord(db: Q, overdueDays: number) {
  const consultations = await db
    .selectFrom('consultations as c')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .select([
      'o.id',
      'o.name',
      'o.slug',
      (eb) => eb.fn.countAll<number>().as('run'),
      sql<number>`count(*) filter (where c.state in ('closed','loop_closed'))`.as('ended'),
      sql<number>`count(*) filter (where c.state = 'loop_closed')`.as('loops_closed'),
      sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from (c.loop_closed_at - c.closed_at)) / 86400) filter (where c.state = 'loop_closed')`.as('median_days'),
    ])
    .where('c.opened_at', 'is not', null)
    .groupBy(['o.id', 'o.name', 'o.slug'])
    .orderBy('o.name')
    .execute();
  const payments = await db
    .selectFrom('payments as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select([
      'o.id',
      'o.name',
      'o.slug',
      sql<number>`count(*) filter (where p.status = 'paid')`.as('paid'),
      sql<number>`count(*) filter (where p.status = 'paid' and p.paid_on <= (p.created_at + make_interval(days => ${overdueDays}))::date)`.as('on_time'),
      sql<number>`count(*) filter (where p.status = 'owed' and p.created_at < now() - make_interval(days => ${overdueDays}))`.as('overdue'),
    ])
    .groupBy(['o.id', 'o.name', 'o.slug'])
    .execute();
  const byOrg = new Map(payments.map((p) => [p.id, p]));
  // Organisations that paid for work from the board but ran no consultation are listed too.
  const none = { run: 0, ended: 0, loops_closed: 0, median_days: null };
  const rows = [...consultations, ...payments.filter((p) => !consultations.some((c) => c.id === p.id)).map((p) => ({ ...none, id: p.id, name: p.name, slug: p.slug }))];
  rows.sort((a, b) => a.name.localeCompare(b.name));
  return rows.map((c) => {
    const p = byOrg.get(c.id);
    return {
      id: c.id,
      name: c.name,
      slug: c.slug,
      run: Number(c.run),
      ended: Number(c.ended),
      loopsClosed: Number(c.loops_closed),
      medianDays: c.median_days === null ? null : Math.round(Number(c.median_days) * 10) / 10,
      paid: Number(p?.paid ?? 0),
      paidOnTime: Number(p?.on_time ?? 0),
      overdue: Number(p?.overdue ?? 0),
    };
  });
}
