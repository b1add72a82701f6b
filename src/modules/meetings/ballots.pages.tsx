import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { formAction } from '../../platform/http.tsx';
import { IdParam } from '../../platform/schemas.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { viewContext } from '../../views/context.ts';
import { DelegateAnswer, DelegateInput, MOTION_LONG_TEXT, MotionInput, MotionParams, VoteInput } from './ballots.schemas.ts';
import { meetingsPolicy } from './meetings.policy.ts';
import type { MeetingsServices } from './services.ts';
import { type MotionForms, MotionsPage } from './views/ballots.tsx';

export function ballotsPages(app: FastifyInstance, services: MeetingsServices, _config: Config): void {
  const { ballots } = services;
  const attend = { config: { access: meetingsPolicy.rule('attend') } };
  const vote = { config: { access: meetingsPolicy.rule('vote') } };
  const back = (id: string, done: string) => `/meetings/${id}/motions?done=${done}`;

  const page = async (req: FastifyRequest, reply: FastifyReply, id: string, forms: MotionForms = {}) => (
    <MotionsPage ctx={viewContext(req, reply)} data={await ballots.page(req.actor, id)} forms={forms} />
  );

  app.get('/meetings/:id/motions', attend, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await page(req, reply, id));
  });

  app.post('/meetings/:id/motions', attend, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body, MOTION_LONG_TEXT);
    const ok = await formAction(
      reply,
      () => ballots.propose(req.actor, id, parse(MotionInput, values)),
      (errors, summaryKey) => page(req, reply, id, { propose: { values, errors, summaryKey } }),
    );
    if (!ok) return reply;
    return reply.redirect(back(id, 'motionProposed'), 303);
  });

  for (const step of ['open', 'close'] as const) {
    app.post(`/meetings/:id/motions/:motionId/${step}`, attend, async (req, reply) => {
      const { id, motionId } = parse(MotionParams, req.params);
      const ok = await formAction(
        reply,
        async () => {
          await (step === 'open' ? ballots.open(req.actor, id, motionId) : ballots.close(req.actor, id, motionId));
          return true;
        },
        (errors, summaryKey) => page(req, reply, id, { chair: { motionId, state: { values: {}, errors, summaryKey } } }),
      );
      if (!ok) return reply;
      return reply.redirect(back(id, step === 'open' ? 'motionOpened' : 'motionClosed'), 303);
    });
  }

  app.post('/meetings/:id/motions/:motionId/vote', vote, async (req, reply) => {
    const { id, motionId } = parse(MotionParams, req.params);
    const values = cleanForm(req.body);
    const ok = await formAction(
      reply,
      async () => {
        await ballots.vote(req.actor, id, motionId, parse(VoteInput, values));
        return true;
      },
      (errors, summaryKey) => page(req, reply, id, { vote: { motionId, state: { values, errors, summaryKey } } }),
    );
    if (!ok) return reply;
    return reply.redirect(back(id, 'voteCast'), 303);
  });

  app.post('/meetings/:id/delegates', vote, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body);
    const ok = await formAction(
      reply,
      async () => {
        await ballots.nameDelegate(req.actor, id, parse(DelegateInput, values));
        return true;
      },
      (errors, summaryKey) => page(req, reply, id, { delegate: { values, errors, summaryKey } }),
    );
    if (!ok) return reply;
    return reply.redirect(back(id, 'delegateNamed'), 303);
  });

  app.post('/meetings/:id/delegates/answer', vote, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body);
    const ok = await formAction(
      reply,
      async () => {
        await ballots.answerDelegate(req.actor, id, parse(DelegateAnswer, values));
        return true;
      },
      (errors, summaryKey) => page(req, reply, id, { answer: { values, errors, summaryKey } }),
    );
    if (!ok) return reply;
    return reply.redirect(back(id, values.answer === 'decline' ? 'delegateDeclined' : 'delegateAccepted'), 303);
  });
}
