import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError, type FieldErrors } from '../../platform/errors.ts';
import { type Actor, memberOrganisations, type PersonActor } from '../../platform/policy.ts';
import { actingFor } from '../../platform/acting.ts';
import { engagementPolicy } from './engagement.policy.ts';
import type { ConsentInput, MediaRequestInput } from './engagement.schemas.ts';
import * as repo from './media.repository.ts';
import { organisationContacts } from './payments.repository.ts';

const blank = (s: string | undefined) => !s || s.trim() === '';

/**
 * Media requests: before an organisation puts a community member forward to journalists it
 * records the request and the media training and support it offered; only the member can say
 * yes, and they can take it back at any time, which the organisation's staff are told at once.
 */
export class MediaService {
  constructor(private p: Platform) {}

  /** Staff of at least one organisation (a person in several sees the requests of each). */
  private staff(actor: Actor): { me: PersonActor; organisationIds: string[] } {
    const me = engagementPolicy.person(actor, 'organise');
    const organisationIds = memberOrganisations(me).map((m) => m.organisationId);
    if (organisationIds.length === 0) throw AppError.notFound();
    return { me, organisationIds };
  }

  async list(actor: Actor) {
    const { organisationIds } = this.staff(actor);
    const [requests, people] = await Promise.all([repo.requestsOfOrganisation(this.p.db, organisationIds), repo.knownPeople(this.p.db, organisationIds)]);
    return { requests, people, severalOrganisations: organisationIds.length > 1 };
  }

  /** A request in the name of the organisation the person acts for (`chosen`: the form's `actingFor`). */
  async create(actor: Actor, input: MediaRequestInput, chosen: unknown): Promise<string> {
    const { me } = this.staff(actor);
    const organisationId = actingFor(me, chosen);
    const errors: FieldErrors = {};
    if (blank(input.trainingOffered)) errors.trainingOffered = { key: 'errors.mediaTraining' };
    if (blank(input.supportOffered)) errors.supportOffered = { key: 'errors.mediaSupport' };
    const known = await repo.knownPeople(this.p.db, [organisationId]);
    if (!known.some((k) => k.id === input.person)) errors.person = { key: 'errors.mediaPerson' };
    if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
    const outlet = input.outlet.trim();
    const topic = input.topic.trim();
    return this.p.db.transaction().execute(async (trx) => {
      const id = await repo.insertRequest(trx, {
        organisation_id: organisationId,
        person_id: input.person,
        outlet,
        topic,
        training_offered: (input.trainingOffered as string).trim(),
        support_offered: (input.supportOffered as string).trim(),
        created_by: me.id,
      });
      const contact = await repo.personContact(trx, input.person);
      const url = new URL('/consultations/mine#media', this.p.config.publicUrl).href;
      // The mail names no outlet or topic: a shared inbox should not reveal who may speak out.
      await this.p.mailer.queueInTheirLanguage(trx, contact ? [contact] : [], (t) => ({ subject: t('mail.mediaRequest.subject'), text: t('mail.mediaRequest.body', { url }) }));
      await audit(trx, me, { action: 'media.request', recordType: 'media_request', recordId: id });
      return id;
    });
  }

  async forPerson(personId: string) {
    return repo.requestsOfPerson(this.p.db, personId);
  }

  /** The member's own answer. */
  async answer(actor: Actor, id: string, input: ConsentInput): Promise<void> {
    const me = engagementPolicy.person(actor, 'takePart');
    const r = await repo.findRequest(this.p.db, id);
    if (r?.person_id !== me.id) throw AppError.notFound();
    await this.p.db.transaction().execute(async (trx) => {
      // A "no" may become a "yes" later; a yes is taken back with "withdraw", which is final.
      const from = input.answer === 'given' ? (['asked', 'refused'] as const) : (['asked'] as const);
      if (!(await repo.setConsent(trx, id, me.id, from, input.answer))) throw AppError.field('answer', 'errors.mediaAnswered');
      await audit(trx, me, { action: input.answer === 'given' ? 'media.consent' : 'media.refuse', recordType: 'media_request', recordId: id });
    });
  }

  /** Withdrawing consent: the organisation's staff are told to let the journalist know. */
  async withdraw(actor: Actor, id: string): Promise<void> {
    const me = engagementPolicy.person(actor, 'takePart');
    const r = await repo.findRequest(this.p.db, id);
    if (r?.person_id !== me.id) throw AppError.notFound();
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.setConsent(trx, id, me.id, ['given'], 'withdrawn'))) throw AppError.field('withdraw', 'errors.mediaNotGiven');
      const url = new URL('/media-requests', this.p.config.publicUrl).href;
      await this.p.mailer.queueInTheirLanguage(trx, await organisationContacts(trx, r.organisation_id), (t) => ({
        subject: t('mail.mediaWithdrawn.subject', { outlet: r.outlet }),
        text: t('mail.mediaWithdrawn.body', { outlet: r.outlet, topic: r.topic, url }),
      }));
      await audit(trx, me, { action: 'media.withdraw', recordType: 'media_request', recordId: id });
    });
  }
}
