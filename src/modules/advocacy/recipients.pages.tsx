import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { formAction, isUpload, type Upload } from '../../platform/http.tsx';
import { PUBLIC } from '../../platform/policy.ts';
import { IdParam, TokenParam } from '../../platform/schemas.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { viewContext } from '../../views/context.ts';
import type { FormState } from '../../views/form.ts';
import { advocacyPolicy } from './advocacy.policy.ts';
import {
  AddRecipientsInput,
  BodyInput,
  DeliveredInput,
  EndInput,
  HolderInput,
  PartyInput,
  PersonInput,
  PostInput,
  RECIPIENT_LISTS,
  RecipientParams,
  RecipientsQuery,
  REPLY_LONG_TEXT,
  ReplyInput,
  ReplyParams,
  TokenReplyInput,
} from './recipients.schemas.ts';
import type { AdvocacyServices } from './services.ts';
import { type DeliveryForms, ReplyByTokenPage, ReplyThanksPage, StatementRecipientsPage } from './views/delivery.tsx';
import { type NewForms, PersonPage, PostPage, RecipientsNewPage, RecipientsPage, type RecordForms } from './views/recipients.tsx';

/**
 * The reply forms of one page carry a prefix on every field (several share the page, and each
 * label needs its own id); the values are read back without it.
 */
function unprefixed(values: Record<string, unknown>): { values: Record<string, unknown>; upload: Upload | undefined } {
  const prefix = typeof values.prefix === 'string' && /^r[0-9a-f]{8}$/.test(values.prefix) ? `${values.prefix}-` : '';
  const out: Record<string, unknown> = {};
  let upload: Upload | undefined;
  for (const [k, v] of Object.entries(values)) {
    if (k === 'prefix') continue;
    const name = prefix && k.startsWith(prefix) ? k.slice(prefix.length) : k;
    const file = (Array.isArray(v) ? v : [v]).find(isUpload);
    if (name === 'attachment') {
      upload = file;
      continue;
    }
    if (file) continue;
    out[name] = v;
  }
  return { values: out, upload };
}

export function recipientsPages(app: FastifyInstance, services: AdvocacyServices, _config: Config) {
  const { recipients } = services;
  const edit = advocacyPolicy.rule('recipients');
  // The statement's owners are staff of its drafting organisations; the service checks the record.
  const owners = advocacyPolicy.rule('draft');

  // ---- the directory ------------------------------------------------------------------------

  app.get('/recipients', { config: { access: PUBLIC } }, async (req, reply) => {
    const { q } = parse(RecipientsQuery, cleanForm(req.query));
    return reply.page(<RecipientsPage ctx={viewContext(req, reply)} data={await recipients.directory(req.actor, q)} />);
  });

  const newPage = async (req: FastifyRequest, reply: FastifyReply, forms: NewForms) => (
    <RecipientsNewPage ctx={viewContext(req, reply)} options={await recipients.formOptions(req.actor)} forms={forms} />
  );

  app.get('/recipients/new', { config: { access: edit } }, async (req, reply) => reply.page(await newPage(req, reply, {})));

  const create = (path: string, form: keyof NewForms, run: (req: FastifyRequest, values: Record<string, unknown>) => Promise<string>, done: (id: string) => string) =>
    app.post(path, { config: { access: edit } }, async (req, reply) => {
      const values = cleanForm(req.body);
      const id = await formAction(
        reply,
        () => run(req, values),
        (errors, summaryKey) => newPage(req, reply, { [form]: { values, errors, summaryKey } }),
      );
      if (!id) return reply;
      return reply.redirect(done(id), 303);
    });
  create('/recipients/people', 'person', (req, v) => recipients.createPerson(req.actor, parse(PersonInput, v)), (id) => `/recipients/people/${id}?done=recipientPersonCreated`);
  create('/recipients/bodies', 'body', (req, v) => recipients.createBody(req.actor, parse(BodyInput, v)), () => '/recipients/new?done=recipientBodyCreated');
  create('/recipients/posts', 'post', (req, v) => recipients.createPost(req.actor, parse(PostInput, v)), (id) => `/recipients/posts/${id}?done=recipientPostCreated`);

  const postPage = async (req: FastifyRequest, reply: FastifyReply, id: string, forms: RecordForms = {}) => (
    <PostPage ctx={viewContext(req, reply)} data={await recipients.post(req.actor, id)} forms={forms} />
  );
  const personPage = async (req: FastifyRequest, reply: FastifyReply, id: string, forms: RecordForms = {}) => (
    <PersonPage ctx={viewContext(req, reply)} data={await recipients.person(req.actor, id)} forms={forms} />
  );

  app.get('/recipients/posts/:id', { config: { access: PUBLIC } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await postPage(req, reply, id));
  });

  app.get('/recipients/people/:id', { config: { access: PUBLIC } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await personPage(req, reply, id));
  });

  app.post('/recipients/posts/:id/holders', { config: { access: edit } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body);
    const ok = await formAction(
      reply,
      async () => {
        await recipients.addHolder(req.actor, id, parse(HolderInput, values));
        return true;
      },
      (errors, summaryKey) => postPage(req, reply, id, { add: { values, errors, summaryKey } }),
    );
    if (!ok) return reply;
    return reply.redirect(`/recipients/posts/${id}?done=recipientHolderAdded`, 303);
  });

  app.post('/recipients/memberships/:id/end', { config: { access: edit } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body);
    const place = await formAction(
      reply,
      () => recipients.endMembership(req.actor, id, parse(EndInput, values)),
      async (errors, summaryKey) => {
        const where = await recipients.membershipPlace(id);
        const forms: RecordForms = { end: { membershipId: id, state: { values, errors, summaryKey } } };
        return where.postId ? postPage(req, reply, where.postId, forms) : personPage(req, reply, where.personId, forms);
      },
    );
    if (!place) return reply;
    return reply.redirect(place.postId ? `/recipients/posts/${place.postId}?done=recipientMembershipEnded` : `/recipients/people/${place.personId}?done=recipientMembershipEnded`, 303);
  });

  app.post('/recipients/people/:id/parties', { config: { access: edit } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body);
    const ok = await formAction(
      reply,
      async () => {
        await recipients.addParty(req.actor, id, parse(PartyInput, values));
        return true;
      },
      (errors, summaryKey) => personPage(req, reply, id, { add: { values, errors, summaryKey } }),
    );
    if (!ok) return reply;
    return reply.redirect(`/recipients/people/${id}?done=recipientPartyAdded`, 303);
  });

  // ---- a statement's recipients, delivery and replies (owners) ------------------------------

  const ownersPage = async (req: FastifyRequest, reply: FastifyReply, id: string, forms: DeliveryForms = {}) => (
    <StatementRecipientsPage ctx={viewContext(req, reply)} data={await recipients.statementRecipients(req.actor, id)} forms={forms} />
  );
  const back = (id: string, done: string) => `/statements/${id}/recipients?done=${done}`;

  app.get('/statements/:id/recipients', { config: { access: owners } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await ownersPage(req, reply, id));
  });

  app.post('/statements/:id/recipients', { config: { access: owners } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body, [], RECIPIENT_LISTS);
    const ok = await formAction(
      reply,
      async () => {
        await recipients.addRecipients(req.actor, id, parse(AddRecipientsInput, values));
        return true;
      },
      (errors, summaryKey) => ownersPage(req, reply, id, { add: { values, errors, summaryKey } }),
    );
    if (!ok) return reply;
    return reply.redirect(back(id, 'recipientsAdded'), 303);
  });

  /** A POST about one recipient of the statement, re-rendering the owners' page on refusal. */
  const onRecipient = (
    verb: string,
    form: 'reply' | 'delivered' | 'remove',
    run: (req: FastifyRequest, id: string, recipientId: string, values: Record<string, unknown>, upload: Upload | undefined) => Promise<unknown>,
    done: string,
    longText: readonly string[] = [],
  ) =>
    app.post(`/statements/:id/recipients/:recipientId/${verb}`, { config: { access: owners } }, async (req, reply) => {
      const { id, recipientId } = parse(RecipientParams, req.params);
      const { values, upload } = unprefixed(cleanForm(req.body, longText.flatMap((k) => [k, ...prefixedNames(req.body, k)])));
      const ok = await formAction(
        reply,
        async () => {
          await run(req, id, recipientId, values, upload);
          return true;
        },
        (errors, summaryKey) => ownersPage(req, reply, id, { recipient: { id: recipientId, form, state: { values, errors, summaryKey } as FormState } }),
      );
      if (!ok) return reply;
      return reply.redirect(back(id, done), 303);
    });

  onRecipient('remove', 'remove', (req, id, recipientId) => recipients.removeRecipient(req.actor, id, recipientId), 'recipientRemoved');
  onRecipient('delivered', 'delivered', (req, id, recipientId, values) => recipients.markDelivered(req.actor, id, recipientId, parse(DeliveredInput, values)), 'recipientDelivered');
  onRecipient(
    'replies',
    'reply',
    (req, id, recipientId, values, upload) => recipients.recordReply(req.actor, id, recipientId, parse(ReplyInput, values), upload),
    'replyRecorded',
    REPLY_LONG_TEXT,
  );

  app.post('/statements/:id/send', { config: { access: owners } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const ok = await formAction(
      reply,
      async () => {
        await recipients.send(req.actor, id);
        return true;
      },
      (errors, summaryKey) => ownersPage(req, reply, id, { send: { values: {}, errors, summaryKey } }),
    );
    if (!ok) return reply;
    return reply.redirect(back(id, 'recipientsSent'), 303);
  });

  for (const [verb, published] of [
    ['publish', true],
    ['unpublish', false],
  ] as const) {
    app.post(`/statements/:id/replies/:replyId/${verb}`, { config: { access: owners } }, async (req, reply) => {
      const { id, replyId } = parse(ReplyParams, req.params);
      await recipients.setPublished(req.actor, id, replyId, published);
      return reply.redirect(back(id, published ? 'replyPublished' : 'replyUnpublished'), 303);
    });
  }

  app.get('/statements/:id/replies/:replyId/attachment', { config: { access: PUBLIC } }, async (req, reply) => {
    const { id, replyId } = parse(ReplyParams, req.params);
    const doc = await recipients.attachment(req.actor, id, replyId);
    // Always a download, never rendered in our origin: a document cannot run as a page here.
    return reply
      .header('content-type', doc.media_type)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(doc.filename)}`)
      .header('cache-control', 'private, no-store')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('x-content-type-options', 'nosniff')
      .send(doc.content);
  });

  // ---- the recipient's own reply, through the link in the letter ------------------------------

  app.get('/replies/:token', { config: { access: PUBLIC } }, async (req, reply) => {
    const { token } = parse(TokenParam, req.params);
    reply.header('referrer-policy', 'no-referrer');
    return reply.page(<ReplyByTokenPage ctx={viewContext(req, reply)} data={await recipients.byToken(token)} token={token} state={{ values: {}, errors: {} }} />);
  });

  app.post('/replies/:token', { config: { access: PUBLIC } }, async (req, reply) => {
    const { token } = parse(TokenParam, req.params);
    const values = cleanForm(req.body, REPLY_LONG_TEXT);
    reply.header('referrer-policy', 'no-referrer');
    const ok = await formAction(
      reply,
      async () => {
        await recipients.replyByToken(req.actor, token, parse(TokenReplyInput, values));
        return true;
      },
      async (errors, summaryKey) => <ReplyByTokenPage ctx={viewContext(req, reply)} data={await recipients.byToken(token)} token={token} state={{ values, errors, summaryKey }} />,
    );
    if (!ok) return reply;
    return reply.page(<ReplyThanksPage ctx={viewContext(req, reply)} token={token} />);
  });
}

/** The prefixed names of a long-text field in a body (`r1234abcd-body`), kept as typed too. */
function prefixedNames(body: unknown, field: string): string[] {
  if (!body || typeof body !== 'object') return [];
  return Object.keys(body).filter((k) => /^r[0-9a-f]{8}-/.test(k) && k.endsWith(`-${field}`));
}
