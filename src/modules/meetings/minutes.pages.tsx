import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { ACTING_FOR_FIELD } from '../../platform/acting.ts';
import { isAppError } from '../../platform/errors.ts';
import { recordAction } from '../../platform/http.tsx';
import type { Actor } from '../../platform/policy.ts';
import { IdParam } from '../../platform/schemas.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { viewContext } from '../../views/context.ts';
import type { FormState } from '../../views/form.ts';
import type { MotionResult } from './ballots.service.ts';
import { meetingsPolicy } from './meetings.policy.ts';
import { ApprovalInput, CorrectionInput, DecisionInput, DecisionQuery, MINUTES_LONG_TEXT, MinutesInput } from './minutes.schemas.ts';
import type { MeetingsServices } from './services.ts';
import { DecisionsPage, type MinutesForm, MinutesPage } from './views/minutes.tsx';

export function minutesPages(app: FastifyInstance, services: MeetingsServices, _config: Config): void {
  const { minutes, actions, ballots, goals } = services;
  const attend = meetingsPolicy.rule('attend');

  const page = async (req: FastifyRequest, reply: FastifyReply, id: string, failed?: MinutesForm, form?: FormState) => {
    const data = await minutes.page(req.actor, id);
    // An AGM's motions and their results go into its minutes (part D decides who reads them).
    const motions: MotionResult[] = data.readable && data.meeting.kind === 'agm' ? await ballots.resultsFor(req.actor, id) : [];
    const extras = {
      actions: data.readable ? await actions.actionsOfMeeting(id) : [],
      motions,
      goals: await goals.options(),
    };
    return <MinutesPage ctx={viewContext(req, reply)} data={data} extras={extras} {...(failed && form ? { failed, form } : {})} />;
  };

  app.get('/meetings/:id/minutes', { config: { access: attend } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await page(req, reply, id));
  });

  const post = (path: string, failed: MinutesForm, run: (actor: Actor, id: string, values: Record<string, unknown>) => Promise<unknown>, done: string) =>
    recordAction(app, path, attend, {
      longText: MINUTES_LONG_TEXT,
      run: async (req, id, values) => {
        await run(req.actor, id, values);
      },
      refused: (req, reply, id, form) => page(req, reply, id, failed, form),
      done: (id) => `/meetings/${id}/minutes?done=${done}`,
    });

  post('/meetings/:id/minutes', 'save', (actor, id, values) => minutes.save(actor, id, parse(MinutesInput, values)), 'minutesSaved');
  post('/meetings/:id/minutes/circulate', 'circulate', (actor, id) => minutes.circulate(actor, id), 'minutesCirculated');
  post('/meetings/:id/minutes/corrections', 'correct', (actor, id, values) => minutes.correct(actor, id, parse(CorrectionInput, values)), 'minutesCorrected');
  post('/meetings/:id/minutes/approve', 'approve', (actor, id, values) => minutes.approve(actor, id, parse(ApprovalInput, values)), 'minutesApproved');
  post(
    '/meetings/:id/decisions',
    'decide',
    (actor, id, values) => {
      const { [ACTING_FOR_FIELD]: chosen, ...rest } = values;
      return minutes.decide(actor, id, parse(DecisionInput, rest), chosen, goals);
    },
    'decisionRecorded',
  );

  app.get('/decisions', { config: { access: attend } }, async (req, reply) => {
    const values = cleanForm(req.query);
    delete values.done;
    try {
      return reply.page(<DecisionsPage ctx={viewContext(req, reply)} data={await minutes.decisions(req.actor, parse(DecisionQuery, values))} />);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'invalid_input') throw err;
      return reply.page(<DecisionsPage ctx={viewContext(req, reply)} data={await minutes.decisions(req.actor, {})} errors={err.fields} />, 400);
    }
  });
}
