import { type TSchema, Type } from '@sinclair/typebox';
import { actingForIfAny } from '../../platform/acting.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { hmac, sha256 } from '../../platform/crypto.ts';
import { hxlCsv } from '../../platform/csv.ts';
import { AppError, type FieldErrors } from '../../platform/errors.ts';
import { type Actor, type PersonActor, rolesOf } from '../../platform/policy.ts';
import { parse } from '../../platform/validation.ts';
import { type CrossTab, crossTab, optionLabels, questionResults } from './results.ts';
import { surveysPolicy } from './surveys.policy.ts';
import * as repo from './surveys.repository.ts';
import { type CrossTabQuery, type QuestionInput, SURVEY_LIMITS, type SectionInput, type SurveyInput, type TextReview } from './surveys.schemas.ts';

export type EffectiveState = 'draft' | 'scheduled' | 'open' | 'closed';

/** The state a reader sees now: an open survey past its closing time is closed; one not yet opened is scheduled. */
export function stateNow(s: { state: string; opened_at: Date | null; closes_at: Date }, now = new Date()): EffectiveState {
  if (s.state === 'draft') return 'draft';
  if (s.state === 'closed' || s.closes_at <= now) return 'closed';
  if (s.opened_at && s.opened_at > now) return 'scheduled';
  return 'open';
}

/** The end of a calendar day (UTC): a survey closing on the 14th takes answers all that day. */
const endOfDay = (day: string) => new Date(`${day}T23:59:59Z`);
const startOfDay = (day: string) => new Date(`${day}T00:00:00Z`);
const field = (questionId: string) => `q_${questionId}`;

/** Closes a survey when its time is up, queued when it opens: its answers are then shuffled at once, not at the first reading. */
export const CLOSE_JOB = 'surveys.close';

/**
 * Anonymous surveys (issue 15, item 3; ADR 0023): built by a member organisation (or the
 * convener) question by question, opened to an audience, answered once each, and read only once
 * closed, where k or more answered, with no figure below k.
 */
export class SurveysService {
  constructor(readonly p: Platform) {
    p.jobs.define(CLOSE_JOB, async (data) => {
      await this.closeIfDue(String(data.id));
    });
    // Surveys opened for a person (not yet answered) and results published, in their digests.
    p.digests.register({
      topic: 'surveys',
      newFor: async (reader, since, until, limit) => {
        const url = (id: string) => new URL(`/surveys/${id}`, this.p.config.publicUrl).href;
        const news: { title: string; url: string; language: string; what: string }[] = [];
        for (const row of (await this.list(reader)).surveys) {
          // Only surveys addressed to the reader by their audience (an organisation's staff are not
          // asked its link surveys, nor those of other audiences), never a link survey.
          if (row.audience === 'link') continue;
          const survey = await repo.findSurvey(this.p.db, row.id);
          if (!survey || !(await this.reaches(reader, survey))) continue;
          if (row.now === 'open' && !row.answered && row.opened_at && row.opened_at > since && row.opened_at <= until) {
            news.push({ title: row.title, url: url(row.id), language: row.language, what: 'digest.item.surveyOpen' });
          }
          const closedAt = survey.closed_at ?? survey.closes_at;
          if (row.now === 'closed' && closedAt > since && closedAt <= until && (await repo.responseCount(this.p.db, row.id)) >= survey.min_group) {
            news.push({ title: row.title, url: `${url(row.id)}/results`, language: row.language, what: 'digest.item.surveyResults' });
          }
        }
        return { items: news.slice(0, limit), total: news.length };
      },
    });
  }

  /** The token of a survey's "anyone with the link" address: derived, so organisers can see it again; only its hash is stored. */
  linkToken(id: string): string {
    return hmac(this.p.config.secretKey, `survey-link:${id}`);
  }

  linkUrl(id: string): string {
    return new URL(`/s/${this.linkToken(id)}`, this.p.config.publicUrl).href;
  }

  /** The key that orders a survey's texts (never the order they came in). */
  private salt(id: string): string {
    return hmac(this.p.config.secretKey, `survey-texts:${id}`);
  }

  /** An answer's handle in the text review: opaque, so the addresses do not say which texts are one person's. */
  private handle(responseId: string, questionId: string): string {
    return hmac(this.p.config.secretKey, `survey-text:${responseId}:${questionId}`);
  }

  canRun(actor: Actor): boolean {
    return surveysPolicy.can(actor, 'run');
  }

  /** Organisers: the running organisation's staff, or the convener for a survey run for the network. */
  private organises(actor: Actor, s: { organisation_id: string | null }): boolean {
    if (actor.kind !== 'person' || !surveysPolicy.can(actor, 'run')) return false;
    if (s.organisation_id) return actor.memberships.some((m) => m.organisationId === s.organisation_id);
    return rolesOf(actor).has('convener');
  }

  /** Whether a person is in a survey's audience (those with the link are not known by name). */
  private async reaches(actor: Actor, s: repo.Survey): Promise<boolean> {
    if (actor.kind !== 'person') return false;
    const roles = rolesOf(actor);
    switch (s.audience) {
      case 'network':
        return ['member', 'org_admin', 'associate', 'convener'].some((r) => roles.has(r as never));
      case 'organisations': {
        const orgs = (await repo.surveyOrganisations(this.p.db, s.id)).map((o) => o.organisation_id);
        return actor.memberships.some((m) => orgs.includes(m.organisationId));
      }
      case 'community':
        return s.community_id ? repo.inCommunity(this.p.db, s.community_id, actor.id) : false;
      default:
        return false;
    }
  }

  private async managed(actor: Actor, id: string): Promise<{ me: PersonActor; survey: repo.Survey }> {
    const me = surveysPolicy.person(actor, 'run');
    const survey = await repo.findSurvey(this.p.db, id);
    if (!survey || !this.organises(me, survey)) throw AppError.notFound();
    return { me, survey };
  }

  // ---- building -------------------------------------------------------------------------------

  async formOptions() {
    const [organisations, communities] = await Promise.all([repo.organisationOptions(this.p.db), repo.communityOptions(this.p.db)]);
    return { organisations, communities };
  }

  private async checkedDetails(input: SurveyInput) {
    const errors: FieldErrors = {};
    const minGroup = Number(input.minGroup);
    if (!Number.isInteger(minGroup) || minGroup < 5 || minGroup > 1000) errors.minGroup = { key: 'errors.surveyMinGroup' };
    const closesAt = endOfDay(input.closesOn);
    if (closesAt <= new Date()) errors.closesOn = { key: 'errors.surveyClosesPast' };
    const opensAt = input.opensOn ? startOfDay(input.opensOn) : null;
    if (opensAt && opensAt >= closesAt) errors.opensOn = { key: 'errors.surveyOpensAfterClose' };
    const organisations = input.audience === 'organisations' ? [...new Set(input.organisations)] : [];
    if (input.audience === 'organisations') {
      if (organisations.length === 0) errors.organisations = { key: 'errors.surveyOrganisationsRequired' };
      else if ((await repo.knownOrganisations(this.p.db, organisations)).length !== organisations.length) errors.organisations = { key: 'errors.choice' };
    }
    const community = input.audience === 'community' ? input.community : undefined;
    if (input.audience === 'community' && (!community || !(await repo.communityExists(this.p.db, community)))) errors.community = { key: 'errors.surveyCommunityRequired' };
    if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
    return { minGroup, closesAt, opensAt, organisations, community: community ?? null };
  }

  async create(actor: Actor, input: SurveyInput): Promise<string> {
    const me = surveysPolicy.person(actor, 'run');
    // The convener may run a survey for the network without an organisation; staff run it in theirs.
    const organisationId = actingForIfAny(me, input.actingFor) ?? null;
    if (!organisationId && !rolesOf(me).has('convener')) throw AppError.invalid({}, 'errors.noOrganisation');
    const c = await this.checkedDetails(input);
    return this.p.db.transaction().execute(async (trx) => {
      const id = await repo.insertSurvey(trx, {
        title: input.title.trim(),
        intro: input.intro.trim(),
        language: input.language,
        organisation_id: organisationId,
        created_by: me.id,
        audience: input.audience,
        community_id: c.community,
        // A placeholder until the id exists: replaced below by the hash of the derived token.
        link_token_hash: input.audience === 'link' ? sha256(`pending:${me.id}:${Date.now()}:${Math.random()}`) : null,
        closes_at: c.closesAt,
        opened_at: c.opensAt,
        min_group: c.minGroup,
        updated_at: new Date(),
      });
      if (input.audience === 'link') await repo.updateSurvey(trx, id, { link_token_hash: sha256(this.linkToken(id)) });
      await repo.replaceOrganisations(trx, id, c.organisations);
      await audit(trx, me, { action: 'survey.create', recordType: 'survey', recordId: id });
      return id;
    });
  }

  async update(actor: Actor, id: string, input: SurveyInput): Promise<void> {
    const { me } = await this.managed(actor, id);
    const c = await this.checkedDetails(input);
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockSurvey(trx, id);
      if (!locked) throw AppError.notFound();
      // The audience and questions of an opened survey stay as its respondents saw them.
      if (locked.state !== 'draft') throw AppError.invalid({}, 'errors.surveyNotDraft');
      await repo.updateSurvey(trx, id, {
        title: input.title.trim(),
        intro: input.intro.trim(),
        language: input.language,
        audience: input.audience,
        community_id: c.community,
        link_token_hash: input.audience === 'link' ? sha256(this.linkToken(id)) : null,
        closes_at: c.closesAt,
        opened_at: c.opensAt,
        min_group: c.minGroup,
      });
      await repo.replaceOrganisations(trx, id, c.organisations);
      await audit(trx, me, { action: 'survey.update', recordType: 'survey', recordId: id });
    });
  }

  private async inDraft(actor: Actor, id: string, action: string, write: (trx: Parameters<typeof repo.insertSection>[0], me: PersonActor) => Promise<void>) {
    const { me } = await this.managed(actor, id);
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockSurvey(trx, id);
      if (!locked) throw AppError.notFound();
      if (locked.state !== 'draft') throw AppError.invalid({}, 'errors.surveyNotDraft');
      await write(trx, me);
      await audit(trx, me, { action, recordType: 'survey', recordId: id });
    });
  }

  async addSection(actor: Actor, id: string, input: SectionInput) {
    await this.inDraft(actor, id, 'survey.section', async (trx) => {
      await repo.insertSection(trx, id, input.sectionTitle.trim());
    });
  }

  /** A question's row from the builder's form, or every problem with it at once. */
  private async questionRow(id: string, input: QuestionInput, errors: FieldErrors = {}) {
    const options = input.options
      .split('\n')
      .map((o) => o.trim())
      .filter(Boolean);
    const choice = input.kind === 'single' || input.kind === 'multiple';
    if (choice && (options.length < 2 || new Set(options).size !== options.length)) errors.options = { key: 'errors.surveyOptions' };
    if (options.length > SURVEY_LIMITS.options || options.some((o) => o.length > SURVEY_LIMITS.option)) errors.options = { key: 'errors.surveyOptionsLong', values: { limit: SURVEY_LIMITS.options, length: SURVEY_LIMITS.option } };
    const scale = input.kind === 'scale';
    if (scale && (!input.scaleMin || !input.scaleMax)) errors.scaleMax = { key: 'errors.surveyScale' };
    const sections = await repo.sections(this.p.db, id);
    if (input.section && !sections.some((s) => s.id === input.section)) errors.section = { key: 'errors.choice' };
    if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
    return {
      section_id: input.section ?? null,
      kind: input.kind,
      text: input.text.trim(),
      help: input.help.trim(),
      optional: input.optional === 'yes',
      options: choice ? options : [],
      scale_min: scale ? Number(input.scaleMin) : null,
      scale_max: scale ? Number(input.scaleMax) : null,
      scale_min_label: scale ? input.scaleMinLabel?.trim() || null : null,
      scale_max_label: scale ? input.scaleMaxLabel?.trim() || null : null,
    };
  }

  /** Only the survey's organisers, and only while it is a draft: before its form is even read. */
  private async draftOf(actor: Actor, id: string) {
    const { survey } = await this.managed(actor, id);
    if (survey.state !== 'draft') throw AppError.invalid({}, 'errors.surveyNotDraft');
  }

  async addQuestion(actor: Actor, id: string, input: QuestionInput) {
    await this.draftOf(actor, id);
    const errors: FieldErrors = {};
    const existing = await repo.questions(this.p.db, id);
    if (existing.length >= SURVEY_LIMITS.questions) errors.text = { key: 'errors.tooMany', values: { limit: SURVEY_LIMITS.questions } };
    const row = await this.questionRow(id, input, errors);
    await this.inDraft(actor, id, 'survey.question', async (trx) => {
      await repo.insertQuestion(trx, { survey_id: id, ...row });
    });
  }

  /** A question of a survey this person organises, for its edit page (which only a draft shows). */
  async questionForEditing(actor: Actor, id: string, questionId: string) {
    const data = await this.survey(actor, id);
    const question = data.questions.find((q) => q.id === questionId);
    if (!data.organiser || !question) throw AppError.notFound();
    return { data, question };
  }

  /** Changes a question of a draft: once the survey is open, its questions are what people answered. */
  async updateQuestion(actor: Actor, id: string, questionId: string, input: QuestionInput) {
    await this.draftOf(actor, id);
    const row = await this.questionRow(id, input);
    await this.inDraft(actor, id, 'survey.question.update', async (trx) => {
      if (!(await repo.updateQuestion(trx, id, questionId, row))) throw AppError.notFound();
    });
  }

  async removeQuestion(actor: Actor, id: string, questionId: string) {
    await this.inDraft(actor, id, 'survey.question.remove', async (trx) => {
      if (!(await repo.deleteQuestion(trx, id, questionId))) throw AppError.notFound();
    });
  }

  async open(actor: Actor, id: string) {
    const { me } = await this.managed(actor, id);
    if ((await repo.questions(this.p.db, id)).length === 0) throw AppError.invalid({}, 'errors.surveyNoQuestions');
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockSurvey(trx, id);
      if (!locked) throw AppError.notFound();
      if (locked.state !== 'draft') throw AppError.invalid({}, 'errors.surveyNotDraft');
      if (locked.closes_at <= new Date()) throw AppError.field('closesOn', 'errors.surveyClosesPast');
      await repo.updateSurvey(trx, id, { state: 'open', opened_at: locked.opened_at && locked.opened_at > new Date() ? locked.opened_at : new Date() });
      await this.p.jobs.enqueue(trx, CLOSE_JOB, { id }, { startAfter: locked.closes_at });
      await audit(trx, me, { action: 'survey.open', recordType: 'survey', recordId: id });
    });
  }

  /** Closed early by an organiser; otherwise by its job when its time is up (or on reading, if the job has not run yet). */
  async close(actor: Actor, id: string) {
    const { me } = await this.managed(actor, id);
    await this.closeNow(id, me);
  }

  /** The job: closes the survey if it is still open and its time is up (closed early by an organiser: nothing to do). */
  async closeIfDue(id: string, now = new Date()): Promise<boolean> {
    const survey = await repo.findSurvey(this.p.db, id);
    if (survey?.state !== 'open') return false;
    if (survey.closes_at > now) {
      // Started early (the database's clock ahead of this one): again at the closing time.
      await this.p.db.transaction().execute((trx) => this.p.jobs.enqueue(trx, CLOSE_JOB, { id }, { startAfter: survey.closes_at }));
      return false;
    }
    await this.closeNow(id, null);
    return true;
  }

  private async closeNow(id: string, by: PersonActor | null) {
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockSurvey(trx, id);
      if (locked?.state !== 'open') return;
      const now = new Date();
      await repo.updateSurvey(trx, id, { state: 'closed', closed_at: locked.closes_at < now ? locked.closes_at : now });
      // The answers shared their transactions (and their order) with the set of respondents' row
      // versions and the audit log: written again, shuffled, under new ids, they share nothing.
      await repo.shuffleResponses(trx, id);
      await repo.rewriteRespondents(trx, id);
      await audit(trx, by, { action: 'survey.close', recordType: 'survey', recordId: id });
    });
  }

  // ---- reading and answering ------------------------------------------------------------------

  async list(actor: Actor) {
    const roles = rolesOf(actor);
    const rows = await repo.listed(this.p.db, {
      personId: actor.kind === 'person' ? actor.id : undefined,
      organisations: actor.kind === 'person' ? actor.memberships.map((m) => m.organisationId) : [],
      network: ['member', 'org_admin', 'associate', 'convener'].some((r) => roles.has(r as never)),
      convener: roles.has('convener'),
    });
    return { surveys: rows.map((r) => ({ ...r, now: stateNow(r), organises: this.organises(actor, r) })), canRun: this.canRun(actor) };
  }

  /** A survey's page: the form to answer for its audience, the builder for its organisers. */
  async survey(actor: Actor, id: string, via?: { token: string }) {
    const survey = await repo.findSurvey(this.p.db, id);
    if (!survey) throw AppError.notFound();
    const organiser = this.organises(actor, survey);
    const byLink = via !== undefined && survey.audience === 'link' && sha256(via.token) === sha256(this.linkToken(id));
    const reached = byLink || (survey.audience !== 'link' && (await this.reaches(actor, survey)));
    const now = stateNow(survey);
    if (!organiser && (!reached || now === 'draft')) throw AppError.notFound();
    const [sections, questions, organisations, respondents] = await Promise.all([
      repo.sections(this.p.db, id),
      repo.questions(this.p.db, id),
      repo.surveyOrganisations(this.p.db, id),
      survey.audience === 'link' ? repo.responseCount(this.p.db, id) : repo.respondentCount(this.p.db, id),
    ]);
    const answered = !byLink && actor.kind === 'person' && reached ? await repo.hasAnswered(this.p.db, id, actor.id) : false;
    return {
      survey,
      now,
      sections,
      questions,
      organisations,
      organiser,
      reached,
      byLink,
      answered,
      // Organisers see how many answered, never who; the count is safe while no answers are shown.
      respondents: organiser ? respondents : undefined,
      link: organiser && survey.audience === 'link' ? this.linkUrl(id) : undefined,
    };
  }

  /** The survey id a link's token opens, or 404. */
  async byToken(token: string): Promise<string> {
    const found = await repo.findByTokenHash(this.p.db, sha256(token));
    if (!found) throw AppError.notFound();
    return found.id;
  }

  /** One schema per open survey (its questions no longer change), so its validator is compiled once. */
  private schemas = new Map<string, TSchema>();

  private answerSchemaOf(id: string, questions: readonly repo.Question[]): TSchema {
    let schema = this.schemas.get(id);
    if (!schema) {
      schema = this.answerSchema(questions);
      if (this.schemas.size >= 200) this.schemas.delete(this.schemas.keys().next().value as string);
      this.schemas.set(id, schema);
    }
    return schema;
  }

  /** The schema of one survey's answers: one field per question, as its kind allows. */
  private answerSchema(questions: readonly repo.Question[]): TSchema {
    const props: Record<string, TSchema> = {};
    for (const q of questions) {
      const values = q.kind === 'short' || q.kind === 'long' ? [] : optionLabels(q).map((_, i) => (q.kind === 'scale' ? String((q.scale_min ?? 1) + i) : String(i)));
      const one = Type.String({ enum: values, errorKey: 'errors.surveyChoice' });
      const schema =
        q.kind === 'multiple'
          ? Type.Array(one, { uniqueItems: true, maxItems: values.length, minItems: q.optional ? 0 : 1, errorKey: 'errors.surveyRequired' })
          : q.kind === 'short'
            ? Type.String({ minLength: q.optional ? 0 : 1, maxLength: SURVEY_LIMITS.shortText })
            : q.kind === 'long'
              ? Type.String({ minLength: q.optional ? 0 : 1, maxLength: SURVEY_LIMITS.text })
              : one;
      props[field(q.id)] = q.optional || q.kind === 'multiple' ? Type.Optional(schema) : schema;
    }
    return Type.Object(props, { additionalProperties: false });
  }

  /**
   * One answer: stored with no person, session, token or address and with the day only; the
   * person (never someone with the link, who is not known) is added to the survey's set of
   * respondents in the same transaction, under its lock, so nobody answers twice.
   */
  async answer(actor: Actor, id: string, values: Record<string, unknown>, via?: { token: string; answeredBefore: boolean }): Promise<void> {
    const page = await this.survey(actor, id, via);
    if (!page.reached) throw AppError.notFound();
    if (page.now === 'closed') throw AppError.invalid({}, 'errors.surveyClosed');
    if (page.now !== 'open') throw AppError.invalid({}, 'errors.surveyNotOpen');
    if (page.answered || via?.answeredBefore) throw AppError.invalid({}, 'errors.surveyAnswered');
    const multiple = new Set(page.questions.filter((q) => q.kind === 'multiple').map((q) => field(q.id)));
    const given: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) {
      if (multiple.has(k)) given[k] = [v].flat();
      else {
        const one = Array.isArray(v) && v.length === 1 ? v[0] : v;
        if (one !== '' && !(Array.isArray(one) && one.length === 0)) given[k] = one;
      }
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = parse(this.answerSchemaOf(id, page.questions), given) as Record<string, unknown>;
    } catch (err) {
      // An unanswered question says which, in words about answering, not "fill in this field".
      if (err instanceof AppError && err.code === 'invalid_input') {
        const fields = Object.fromEntries(Object.entries(err.fields).map(([k, e]) => [k, e.key === 'errors.required' ? { key: 'errors.surveyRequired' } : e]));
        throw AppError.invalid(fields, 'errors.surveyAnswer');
      }
      throw err;
    }
    const missing: FieldErrors = {};
    for (const q of page.questions) if (!q.optional && q.kind === 'multiple' && ([parsed[field(q.id)]].flat().filter(Boolean).length === 0)) missing[field(q.id)] = { key: 'errors.surveyRequired' };
    if (Object.keys(missing).length > 0) throw AppError.invalid(missing, 'errors.surveyAnswer');
    const answers = page.questions.flatMap((q): { question_id: string; choices: number[]; text: string | null }[] => {
      const v = parsed[field(q.id)];
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return [];
      if (q.kind === 'short' || q.kind === 'long') return [{ question_id: q.id, choices: [], text: String(v).trim() }];
      return [{ question_id: q.id, choices: [v].flat().map(Number).sort((a, b) => a - b), text: null }];
    });
    const personId = !page.byLink && actor.kind === 'person' ? actor.id : undefined;
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockSurvey(trx, id);
      if (!locked || stateNow(locked) !== 'open') throw AppError.invalid({}, 'errors.surveyClosed');
      if (personId) {
        const people = await repo.lockRespondents(trx, id);
        if (people.includes(personId)) throw AppError.invalid({}, 'errors.surveyAnswered');
        await repo.addRespondent(trx, id, personId);
      }
      await repo.insertResponse(trx, id, answers);
      // Audited without the person: the entry's time and order must not name whose answer it is.
      await audit(trx, null, { action: 'survey.answer', recordType: 'survey', recordId: id });
    });
  }

  // ---- results --------------------------------------------------------------------------------

  private async resultsReader(actor: Actor, id: string) {
    let survey = await repo.findSurvey(this.p.db, id);
    if (!survey) throw AppError.notFound();
    const organiser = this.organises(actor, survey);
    // Results of a survey open to anyone with its link are for anyone; the others for their audience.
    if (!organiser && survey.audience !== 'link' && !(await this.reaches(actor, survey))) throw AppError.notFound();
    if (survey.state === 'draft' && !organiser) throw AppError.notFound();
    if (survey.state === 'open' && stateNow(survey) === 'closed') {
      await this.closeNow(id, null);
      survey = (await repo.findSurvey(this.p.db, id)) ?? survey;
    }
    return { survey, organiser };
  }

  async results(actor: Actor, id: string, query: CrossTabQuery = {}) {
    const { survey, organiser } = await this.resultsReader(actor, id);
    const k = survey.min_group;
    const base = { survey, organiser, k, now: stateNow(survey) };
    if (base.now !== 'closed') return { ...base, status: 'notYet' as const };
    const ids = await repo.responseIds(this.p.db, id);
    const n = ids.length;
    if (n < k) return { ...base, status: 'tooFew' as const };
    const [questions, answers, texts, unread] = await Promise.all([
      repo.questions(this.p.db, id),
      repo.choiceAnswers(this.p.db, id),
      repo.publishedTexts(this.p.db, id, this.salt(id)),
      organiser ? repo.unreadCount(this.p.db, id) : Promise.resolve(0),
    ]);
    let table: CrossTab | undefined;
    if (query.rows || query.columns) {
      const crossable = (qid: string | undefined) => questions.find((q) => q.id === qid && (q.kind === 'single' || q.kind === 'scale'));
      const rows = crossable(query.rows);
      const columns = crossable(query.columns);
      const errors: FieldErrors = {};
      if (!rows) errors.rows = { key: 'errors.surveyCrossTab' };
      if (!columns) errors.columns = { key: 'errors.surveyCrossTab' };
      if (rows && columns && rows.id === columns.id) errors.columns = { key: 'errors.surveyCrossTabSame' };
      if (Object.keys(errors).length > 0) throw AppError.invalid(errors, 'errors.surveyCrossTabFailed');
    }
    const results = questionResults(questions, answers, texts, k, n);
    if (query.rows || query.columns) table = crossTab(questions.find((q) => q.id === query.rows) as repo.Question, questions.find((q) => q.id === query.columns) as repo.Question, answers, k, results, ids);
    return { ...base, status: 'shown' as const, responses: n, results, crossTab: table, unreadTexts: unread, crossable: questions.filter((q) => q.kind === 'single' || q.kind === 'scale') };
  }

  async csv(actor: Actor, id: string, below: (k: number) => string): Promise<string> {
    const data = await this.results(actor, id);
    if (data.status !== 'shown') throw AppError.notFound();
    const rows: string[][] = [];
    for (const r of data.results) {
      if (r.kind === 'text') {
        for (const text of r.texts) rows.push([String(r.question.position), r.question.text, '', text, r.answered === null ? below(data.k) : String(r.answered)]);
      } else {
        for (const o of r.options) rows.push([String(r.question.position), r.question.text, o.label, o.count === null ? below(data.k) : String(o.count), r.answered === null ? below(data.k) : String(r.answered)]);
      }
    }
    return hxlCsv(['question_number', 'question', 'option', 'count', 'answered'], ['#meta+id', '#description+question', '#indicator+option', '#affected+num', '#affected+total'], rows);
  }

  /** The next free-text answer to read (organisers, once closed), or none left. */
  async nextText(actor: Actor, id: string) {
    const { survey } = await this.managed(actor, id);
    const data = await this.results(actor, id);
    if (data.status !== 'shown') throw AppError.invalid({}, data.status === 'notYet' ? 'errors.surveyNotClosed' : 'errors.surveyTooFew');
    const unread = await repo.unreadTexts(this.p.db, id, this.salt(id));
    const first = unread[0];
    const question = first ? (await repo.questions(this.p.db, id)).find((q) => q.id === first.question_id) : undefined;
    return { survey, next: first ? { text: first.text, handle: this.handle(first.response_id, first.question_id) } : undefined, left: unread.length, question };
  }

  async reviewText(actor: Actor, id: string, handle: string, input: TextReview) {
    const { me } = await this.managed(actor, id);
    const data = await this.results(actor, id);
    if (data.status !== 'shown') throw AppError.invalid({}, 'errors.surveyNotClosed');
    const target = (await repo.unreadTexts(this.p.db, id, this.salt(id))).find((a) => this.handle(a.response_id, a.question_id) === handle);
    if (!target) throw AppError.notFound();
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.setTextState(trx, id, target.response_id, target.question_id, input.decision === 'publish' ? 'published' : 'withheld'))) throw AppError.notFound();
      // The survey, not the answer: the log must not become a map of answers.
      await audit(trx, me, { action: `survey.text.${input.decision}`, recordType: 'survey', recordId: id });
    });
  }

  /** One reminder to those of the audience who have not answered (never to those with the link, who are not known). */
  async remind(actor: Actor, id: string): Promise<number> {
    const { me, survey } = await this.managed(actor, id);
    if (survey.audience === 'link') throw AppError.invalid({}, 'errors.surveyRemindLink');
    const url = new URL(`/surveys/${id}`, this.p.config.publicUrl).href;
    return this.p.db.transaction().execute(async (trx) => {
      // Decided under the survey's lock: two clicks send one reminder, and a closed survey none.
      const locked = await repo.lockSurvey(trx, id);
      if (!locked || stateNow(locked) !== 'open') throw AppError.invalid({}, 'errors.surveyNotOpen');
      if (locked.reminded_at) throw AppError.invalid({}, 'errors.surveyReminded');
      const recipients = await repo.reminderRecipients(trx, id);
      await repo.updateSurvey(trx, id, { reminded_at: new Date() });
      // The subject says nothing of the survey: a shared inbox or a lock screen shows it.
      await this.p.mailer.queueInTheirLanguage(trx, recipients, (t, locale) => ({
        subject: t('mail.surveyReminder.subject'),
        text: t('mail.surveyReminder.body', { title: survey.title, url, closes: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(survey.closes_at) }),
      }), { bulk: true });
      await audit(trx, me, { action: 'survey.remind', recordType: 'survey', recordId: id });
      return recipients.length;
    });
  }
}
