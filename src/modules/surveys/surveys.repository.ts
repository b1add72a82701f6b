import { type Insertable, type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { SurveysTable, TextState } from '../../db/schema/surveys.ts';

type Q = Kysely<DB> | Transaction<DB>;

// ---- surveys and their questions --------------------------------------------------------------

export async function insertSurvey(trx: Transaction<DB>, row: Insertable<SurveysTable>) {
  const { id } = await trx.insertInto('surveys').values(row).returning('id').executeTakeFirstOrThrow();
  // The set of those who have answered exists from the start: answering only updates it.
  await trx.insertInto('survey_respondents').values({ survey_id: id }).execute();
  return id;
}

export async function updateSurvey(trx: Transaction<DB>, id: string, row: Updateable<SurveysTable>) {
  await trx.updateTable('surveys').set({ ...row, updated_at: new Date() }).where('id', '=', id).execute();
}

export async function replaceOrganisations(trx: Transaction<DB>, surveyId: string, organisationIds: readonly string[]) {
  await trx.deleteFrom('survey_organisations').where('survey_id', '=', surveyId).execute();
  if (organisationIds.length > 0) await trx.insertInto('survey_organisations').values(organisationIds.map((organisation_id) => ({ survey_id: surveyId, organisation_id }))).execute();
}

const SURVEY_COLUMNS = [
  's.id',
  's.number',
  's.title',
  's.intro',
  's.language',
  's.organisation_id',
  's.audience',
  's.community_id',
  's.state',
  's.opened_at',
  's.closes_at',
  's.closed_at',
  's.min_group',
  's.reminded_at',
  's.created_at',
  'o.name as organisation_name',
  'c.name as community_name',
] as const;

export async function findSurvey(db: Q, id: string) {
  return db
    .selectFrom('surveys as s')
    .leftJoin('organisations as o', 'o.id', 's.organisation_id')
    .leftJoin('communities as c', 'c.id', 's.community_id')
    .select(SURVEY_COLUMNS)
    .where('s.id', '=', id)
    .executeTakeFirst();
}
export type Survey = NonNullable<Awaited<ReturnType<typeof findSurvey>>>;

export async function findByTokenHash(db: Q, hash: string) {
  return db.selectFrom('surveys').select('id').where('link_token_hash', '=', hash).executeTakeFirst();
}

export async function lockSurvey(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('surveys').select(['id', 'state', 'organisation_id', 'opened_at', 'closes_at', 'audience', 'reminded_at']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function surveyOrganisations(db: Q, surveyId: string) {
  return db
    .selectFrom('survey_organisations as x')
    .innerJoin('organisations as o', 'o.id', 'x.organisation_id')
    .select(['x.organisation_id', 'o.name'])
    .where('x.survey_id', '=', surveyId)
    .orderBy('o.name')
    .execute();
}

export async function sections(db: Q, surveyId: string) {
  return db.selectFrom('survey_sections').select(['id', 'position', 'title']).where('survey_id', '=', surveyId).orderBy('position').execute();
}

export async function questions(db: Q, surveyId: string) {
  return db
    .selectFrom('survey_questions')
    .select(['id', 'section_id', 'position', 'kind', 'text', 'help', 'optional', 'options', 'scale_min', 'scale_max', 'scale_min_label', 'scale_max_label'])
    .where('survey_id', '=', surveyId)
    .orderBy('position')
    .execute();
}
export type Question = Awaited<ReturnType<typeof questions>>[number];

export async function insertSection(trx: Transaction<DB>, surveyId: string, title: string) {
  const { n } = await trx.selectFrom('survey_sections').select(sql<number>`coalesce(max(position), 0) + 1`.as('n')).where('survey_id', '=', surveyId).executeTakeFirstOrThrow();
  return (await trx.insertInto('survey_sections').values({ survey_id: surveyId, position: Number(n), title }).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertQuestion(trx: Transaction<DB>, row: Omit<Insertable<DB['survey_questions']>, 'position'>) {
  const { n } = await trx.selectFrom('survey_questions').select(sql<number>`coalesce(max(position), 0) + 1`.as('n')).where('survey_id', '=', row.survey_id).executeTakeFirstOrThrow();
  return (await trx.insertInto('survey_questions').values({ ...row, position: Number(n) }).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateQuestion(trx: Transaction<DB>, surveyId: string, questionId: string, row: Omit<Updateable<DB['survey_questions']>, 'id' | 'survey_id' | 'position'>) {
  return (await trx.updateTable('survey_questions').set(row).where('survey_id', '=', surveyId).where('id', '=', questionId).executeTakeFirst()).numUpdatedRows > 0n;
}

export async function deleteQuestion(trx: Transaction<DB>, surveyId: string, questionId: string) {
  return (await trx.deleteFrom('survey_questions').where('survey_id', '=', surveyId).where('id', '=', questionId).executeTakeFirst()).numDeletedRows > 0n;
}

export async function organisationOptions(db: Q) {
  return db.selectFrom('organisations').select(['id', 'name']).where('status', 'in', ['member', 'associate']).orderBy('name').execute();
}

export async function knownOrganisations(db: Q, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('organisations').select('id').where('id', 'in', [...ids]).where('status', 'in', ['member', 'associate']).execute()).map((r) => r.id);
}

export async function communityOptions(db: Q) {
  return db.selectFrom('communities').select(['id', 'name']).orderBy('name').execute();
}

export async function communityExists(db: Q, id: string) {
  return !!(await db.selectFrom('communities').select('id').where('id', '=', id).executeTakeFirst());
}

export async function inCommunity(db: Q, communityId: string, personId: string): Promise<boolean> {
  return !!(await db.selectFrom('community_members').select('person_id').where('community_id', '=', communityId).where('person_id', '=', personId).executeTakeFirst());
}

/** Surveys a list shows: those run by the reader's organisations (or all, for the convener), and those open or closed that reach them. */
export async function listed(db: Q, reader: { personId: string | undefined; organisations: readonly string[]; network: boolean; convener: boolean }) {
  const orgs = sql`${[...reader.organisations]}::uuid[]`;
  const person = reader.personId ?? '00000000-0000-0000-0000-000000000000';
  const { rows } = await sql<{ id: string; number: number; title: string; language: string; state: string; opened_at: Date | null; closes_at: Date; audience: string; organisation_name: string | null; organisation_id: string | null; answered: boolean }>`
    select s.id, s.number, s.title, s.language, s.state, s.opened_at, s.closes_at, s.audience, o.name as organisation_name, s.organisation_id,
      (${person}::uuid = any(r.people)) as answered
    from surveys s
    left join organisations o on o.id = s.organisation_id
    join survey_respondents r on r.survey_id = s.id
    where s.organisation_id = any(${orgs})
      or (s.organisation_id is null and ${reader.convener})
      or (s.state <> 'draft' and (
        (s.audience = 'network' and ${reader.network})
        or (s.audience = 'organisations' and exists (select 1 from survey_organisations x where x.survey_id = s.id and x.organisation_id = any(${orgs})))
        or (s.audience = 'community' and exists (select 1 from community_members cm where cm.community_id = s.community_id and cm.person_id = ${person}::uuid))))
    order by (s.state = 'open') desc, s.closes_at desc
    limit 200`.execute(db);
  return rows;
}

// ---- answering --------------------------------------------------------------------------------

/** The set of people who have answered, locked: one answer each, decided under this lock. */
export async function lockRespondents(trx: Transaction<DB>, surveyId: string): Promise<string[]> {
  return (await trx.selectFrom('survey_respondents').select('people').where('survey_id', '=', surveyId).forUpdate().executeTakeFirstOrThrow()).people;
}

export async function hasAnswered(db: Q, surveyId: string, personId: string): Promise<boolean> {
  const { rows } = await sql<{ yes: boolean }>`select ${personId}::uuid = any(people) as yes from survey_respondents where survey_id = ${surveyId}`.execute(db);
  return rows[0]?.yes === true;
}

/** The set again, sorted, so that it says nothing of who answered first or last. */
export async function addRespondent(trx: Transaction<DB>, surveyId: string, personId: string) {
  await sql`update survey_respondents set people = (select array_agg(p order by p) from unnest(array_append(people, ${personId}::uuid)) p) where survey_id = ${surveyId}`.execute(trx);
}

/** A new version of the set's row with nothing changed: it no longer shares a transaction with the last answer. */
export async function rewriteRespondents(trx: Transaction<DB>, surveyId: string) {
  await sql`update survey_respondents set people = people where survey_id = ${surveyId}`.execute(trx);
}

export async function insertResponse(trx: Transaction<DB>, surveyId: string, answers: readonly { question_id: string; choices: number[]; text: string | null }[]) {
  const { id } = await trx
    .insertInto('survey_responses')
    .values({ survey_id: surveyId, answered_on: sql<string>`current_date` })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (answers.length > 0) {
    await trx
      .insertInto('survey_answers')
      .values(answers.map((a) => ({ response_id: id, question_id: a.question_id, choices: a.choices, text: a.text, text_state: a.text === null ? null : ('unread' as const) })))
      .execute();
  }
}

export async function responseIds(db: Q, surveyId: string): Promise<string[]> {
  return (await db.selectFrom('survey_responses').select('id').where('survey_id', '=', surveyId).execute()).map((r) => r.id);
}

export async function responseCount(db: Q, surveyId: string): Promise<number> {
  return Number((await db.selectFrom('survey_responses').select(sql<number>`count(*)`.as('n')).where('survey_id', '=', surveyId).executeTakeFirstOrThrow()).n);
}

export async function respondentCount(db: Q, surveyId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select coalesce(cardinality(people), 0) as n from survey_respondents where survey_id = ${surveyId}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Every answer of a survey, for its results (choices and whether a text was given; texts apart). */
export async function choiceAnswers(db: Q, surveyId: string) {
  return db
    .selectFrom('survey_answers as a')
    .innerJoin('survey_responses as r', 'r.id', 'a.response_id')
    .select(['a.response_id', 'a.question_id', 'a.choices', sql<boolean>`a.text is not null`.as('has_text')])
    .where('r.survey_id', '=', surveyId)
    .execute();
}

/**
 * The texts an organiser published, each question's in an order of its own (a keyed hash of the
 * question and the response): never the order they came in, and the i-th text of one question is
 * not the i-th of another, so one person's texts cannot be lined up.
 */
export async function publishedTexts(db: Q, surveyId: string, salt: string) {
  return db
    .selectFrom('survey_answers as a')
    .innerJoin('survey_responses as r', 'r.id', 'a.response_id')
    .select(['a.question_id', 'a.text'])
    .where('r.survey_id', '=', surveyId)
    .where('a.text_state', '=', 'published')
    .orderBy(sql`md5(${salt} || a.question_id::text || a.response_id::text)`)
    .execute();
}

/** The texts no organiser has read yet: question by question, each in a keyed order (as above). */
export async function unreadTexts(db: Q, surveyId: string, salt: string) {
  return db
    .selectFrom('survey_answers as a')
    .innerJoin('survey_responses as r', 'r.id', 'a.response_id')
    .innerJoin('survey_questions as q', 'q.id', 'a.question_id')
    .select(['a.response_id', 'a.question_id', 'a.text'])
    .where('r.survey_id', '=', surveyId)
    .where('a.text_state', '=', 'unread')
    .orderBy('q.position')
    .orderBy(sql`md5(${salt} || a.question_id::text || a.response_id::text)`)
    .execute();
}

export async function unreadCount(db: Q, surveyId: string): Promise<number> {
  const row = await db
    .selectFrom('survey_answers as a')
    .innerJoin('survey_responses as r', 'r.id', 'a.response_id')
    .select(sql<number>`count(*)`.as('n'))
    .where('r.survey_id', '=', surveyId)
    .where('a.text_state', '=', 'unread')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * At close, every response and its answers written again under new ids, in a random order, and
 * the old rows deleted: the rows an answer was first written in shared their transaction (and
 * their place in the table) with the set of respondents' row version and the audit entry of the
 * moment; the copies share nothing but the close.
 */
export async function shuffleResponses(trx: Transaction<DB>, surveyId: string) {
  await sql`
    with map as (select id as old_id, gen_random_uuid() as new_id, answered_on from survey_responses where survey_id = ${surveyId}),
    new_responses as (insert into survey_responses (id, survey_id, answered_on) select new_id, ${surveyId}, answered_on from map order by random() returning id),
    new_answers as (
      insert into survey_answers (response_id, question_id, choices, text, text_state)
      select m.new_id, a.question_id, a.choices, a.text, a.text_state from survey_answers a join map m on m.old_id = a.response_id order by random()
      returning response_id)
    delete from survey_responses where id in (select old_id from map)`.execute(trx);
}

export async function setTextState(trx: Transaction<DB>, surveyId: string, responseId: string, questionId: string, state: TextState) {
  const res = await trx
    .updateTable('survey_answers')
    .set({ text_state: state })
    .where('response_id', '=', responseId)
    .where('question_id', '=', questionId)
    .where('text_state', '=', 'unread')
    .where('response_id', 'in', (eb) => eb.selectFrom('survey_responses').select('id').where('survey_id', '=', surveyId))
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Who a reminder goes to: the survey's audience with an address, less those who have answered. */
export async function reminderRecipients(db: Q, surveyId: string) {
  const { rows } = await sql<{ id: string; email: string | null; locale: string | null }>`
    select distinct p.id, p.email, p.locale
    from surveys s
    join survey_respondents r on r.survey_id = s.id
    join people p on p.status = 'active' and p.email is not null and not (p.id = any(r.people))
    where s.id = ${surveyId} and (
      (s.audience = 'network' and (p.network_role = 'convener' or exists (
        select 1 from memberships m join organisations o on o.id = m.organisation_id where m.person_id = p.id and o.status in ('member', 'associate'))))
      or (s.audience = 'organisations' and exists (
        select 1 from memberships m join survey_organisations x on x.organisation_id = m.organisation_id where m.person_id = p.id and x.survey_id = s.id))
      or (s.audience = 'community' and exists (select 1 from community_members cm where cm.community_id = s.community_id and cm.person_id = p.id)))`.execute(db);
  return rows;
}
