import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../platform/errors.ts';
import { formAction } from '../../platform/http.tsx';
import { PUBLIC } from '../../platform/policy.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { viewContext } from '../../views/context.ts';
import type { FormState } from '../../views/form.ts';
import { surveysPolicy } from './surveys.policy.ts';
import {
  CrossTabQuery,
  QUESTION_DEFAULTS,
  QuestionInput,
  QuestionParams,
  SectionInput,
  SURVEY_DEFAULTS,
  SURVEY_LISTS,
  SURVEY_LONG_TEXT,
  SurveyIdParam,
  SurveyInput,
  SurveyTokenParam,
  TextParams,
  TextReview,
} from './surveys.schemas.ts';
import type { SurveysService } from './surveys.service.ts';
import { AnsweredPage, QuestionEditPage, ResultsPage, type SurveyForms, SurveyPage, SurveysPage, TextReviewPage } from './views/surveys.tsx';

/**
 * An answer form's values: every question's field may come several times (the boxes of a
 * multiple choice), so each is read as a list, and the service takes one value where one is meant.
 */
function answerValues(body: unknown): Record<string, unknown> {
  const fields = body && typeof body === 'object' ? Object.keys(body).filter((k) => k.startsWith('q_')) : [];
  return cleanForm(body, fields, fields);
}

/** A browser that answered a link survey says so with this cookie: those with the link are not known by name. */
const answeredCookie = (number: number) => `ns_survey_${number}`;

export function surveysPages(app: FastifyInstance, surveys: SurveysService): void {
  const run = { config: { access: surveysPolicy.rule('run') } };
  const open = { config: { access: PUBLIC } };
  // A survey's answers can be long (several texts of 4,000 characters, Arabic percent-encoded).
  const answering = { config: { access: PUBLIC }, bodyLimit: 1024 * 1024 };

  const listPage = async (req: FastifyRequest, reply: FastifyReply, state?: FormState) => {
    const data = await surveys.list(req.actor);
    const options = data.canRun ? await surveys.formOptions() : undefined;
    return <SurveysPage ctx={viewContext(req, reply)} data={data} {...(options ? { options } : {})} {...(state ? { state } : {})} />;
  };

  app.get('/surveys', open, async (req, reply) => reply.page(await listPage(req, reply)));

  app.post('/surveys', run, async (req, reply) => {
    const values = cleanForm(req.body, SURVEY_LONG_TEXT, SURVEY_LISTS);
    const id = await formAction(
      reply,
      () => surveys.create(req.actor, parse(SurveyInput, { ...SURVEY_DEFAULTS, ...values })),
      (errors, summaryKey) => listPage(req, reply, { values, errors, summaryKey }),
    );
    if (!id) return reply;
    return reply.redirect(`/surveys/${id}?done=surveyCreated`, 303);
  });

  const surveyPage = async (req: FastifyRequest, reply: FastifyReply, id: string, forms: SurveyForms = {}, via?: { token: string }) => {
    const data = await surveys.survey(req.actor, id, via);
    const options = data.organiser && data.now === 'draft' ? await surveys.formOptions() : undefined;
    return (
      <SurveyPage ctx={viewContext(req, reply)} data={data} forms={forms} {...(options ? { options } : {})} {...(via ? { action: `/s/${via.token}` } : {})} />
    );
  };

  app.get('/surveys/:id', open, async (req, reply) => {
    const { id } = parse(SurveyIdParam, req.params);
    return reply.page(await surveyPage(req, reply, id));
  });

  /** A POST from the survey's page that shows the page again on a refusal, with the form that was sent. */
  const onSurvey = (url: string, which: keyof SurveyForms, act: (req: FastifyRequest, id: string, values: Record<string, unknown>) => Promise<unknown>, done: string, options: { long?: readonly string[]; lists?: readonly string[] } = {}) => {
    app.post(url, run, async (req, reply) => {
      const { id } = parse(SurveyIdParam, { id: (req.params as { id?: string }).id });
      const values = cleanForm(req.body, options.long ?? [], options.lists ?? []);
      const ok = await formAction(
        reply,
        async () => {
          await act(req, id, values);
          return true;
        },
        (errors, summaryKey) => surveyPage(req, reply, id, { [which]: { values, errors, summaryKey } }),
      );
      if (!ok) return reply;
      return reply.redirect(`/surveys/${id}?done=${done}`, 303);
    });
  };

  onSurvey('/surveys/:id', 'details', (req, id, values) => surveys.update(req.actor, id, parse(SurveyInput, { ...SURVEY_DEFAULTS, ...values })), 'surveySaved', { long: SURVEY_LONG_TEXT, lists: SURVEY_LISTS });
  onSurvey('/surveys/:id/sections', 'section', (req, id, values) => surveys.addSection(req.actor, id, parse(SectionInput, values)), 'surveySectionAdded');
  onSurvey('/surveys/:id/questions', 'question', (req, id, values) => surveys.addQuestion(req.actor, id, parse(QuestionInput, { ...QUESTION_DEFAULTS, ...values })), 'surveyQuestionAdded', { long: ['options'] });
  onSurvey('/surveys/:id/open', 'action', (req, id) => surveys.open(req.actor, id), 'surveyOpened');
  onSurvey('/surveys/:id/close', 'action', (req, id) => surveys.close(req.actor, id), 'surveyClosed');
  onSurvey('/surveys/:id/reminders', 'action', (req, id) => surveys.remind(req.actor, id), 'surveyReminded');

  // One question of a draft, on its own page (the builder's page holds the form that adds one).
  // Once the survey is open its questions are what people answer: the survey's page says so.
  const questionPage = async (req: FastifyRequest, reply: FastifyReply, id: string, questionId: string, state?: FormState) => {
    const { data, question } = await surveys.questionForEditing(req.actor, id, questionId);
    if (data.now !== 'draft') return surveyPage(req, reply, id, { question: state ?? { values: {}, errors: {}, summaryKey: 'errors.surveyNotDraft' } });
    return <QuestionEditPage ctx={viewContext(req, reply)} data={data} question={question} {...(state ? { state } : {})} />;
  };
  app.get('/surveys/:id/questions/:questionId', run, async (req, reply) => {
    const { id, questionId } = parse(QuestionParams, req.params);
    return reply.page(await questionPage(req, reply, id, questionId));
  });
  app.post('/surveys/:id/questions/:questionId', run, async (req, reply) => {
    const { id, questionId } = parse(QuestionParams, req.params);
    const values = cleanForm(req.body, ['options'], []);
    const ok = await formAction(
      reply,
      async () => {
        await surveys.updateQuestion(req.actor, id, questionId, parse(QuestionInput, { ...QUESTION_DEFAULTS, ...values }));
        return true;
      },
      (errors, summaryKey) => questionPage(req, reply, id, questionId, { values, errors, ...(summaryKey ? { summaryKey } : {}) }),
    );
    if (!ok) return reply;
    return reply.redirect(`/surveys/${id}?done=surveyQuestionSaved`, 303);
  });

  app.post('/surveys/:id/questions/:questionId/remove', run, async (req, reply) => {
    const { id, questionId } = parse(QuestionParams, req.params);
    const ok = await formAction(
      reply,
      async () => {
        await surveys.removeQuestion(req.actor, id, questionId);
        return true;
      },
      (errors, summaryKey) => surveyPage(req, reply, id, { action: { values: {}, errors, summaryKey } }),
    );
    if (!ok) return reply;
    return reply.redirect(`/surveys/${id}?done=surveyQuestionRemoved`, 303);
  });

  // ---- answering ------------------------------------------------------------------------------

  app.post('/surveys/:id/answers', answering, async (req, reply) => {
    const { id } = parse(SurveyIdParam, req.params);
    const values = answerValues(req.body);
    const ok = await formAction(
      reply,
      async () => {
        await surveys.answer(req.actor, id, values);
        return true;
      },
      (errors, summaryKey) => surveyPage(req, reply, id, { answer: { values, errors, summaryKey } }),
    );
    if (!ok) return reply;
    return reply.redirect(`/surveys/${id}?done=surveyAnswered`, 303);
  });

  // Anyone with the link: the token is the capability; the page and the answer live at its address.
  app.get('/s/:token', open, async (req, reply) => {
    const { token } = parse(SurveyTokenParam, req.params);
    const id = await surveys.byToken(token);
    reply.header('referrer-policy', 'no-referrer');
    return reply.page(await surveyPage(req, reply, id, {}, { token }));
  });

  app.post('/s/:token', answering, async (req, reply) => {
    const { token } = parse(SurveyTokenParam, req.params);
    const id = await surveys.byToken(token);
    const values = answerValues(req.body);
    const data = await surveys.survey(req.actor, id, { token });
    const cookie = answeredCookie(data.survey.number);
    const ok = await formAction(
      reply,
      async () => {
        await surveys.answer(req.actor, id, values, { token, answeredBefore: req.cookies[cookie] === '1' });
        return true;
      },
      (errors, summaryKey) => surveyPage(req, reply, id, { answer: { values, errors, summaryKey } }, { token }),
    );
    if (!ok) return reply;
    reply.setCookie(cookie, '1', { path: '/s/', httpOnly: true, sameSite: 'lax', maxAge: 365 * 86_400 });
    return reply.page(<AnsweredPage ctx={viewContext(req, reply)} title={data.survey.title} />);
  });

  // ---- results --------------------------------------------------------------------------------

  app.get('/surveys/:id/results', open, async (req, reply) => {
    const { id } = parse(SurveyIdParam, req.params);
    const values = cleanForm(req.query);
    try {
      const data = await surveys.results(req.actor, id, parse(CrossTabQuery, values));
      return reply.page(<ResultsPage ctx={viewContext(req, reply)} data={data} values={values} />);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'invalid_input') throw err;
      const data = await surveys.results(req.actor, id);
      return reply.page(<ResultsPage ctx={viewContext(req, reply)} data={data} errors={err.fields} values={values} />, 400);
    }
  });

  app.get('/surveys/:id/results.csv', open, async (req, reply) => {
    const { id } = parse(SurveyIdParam, req.params);
    const csv = await surveys.csv(req.actor, id, (k) => req.intl.t('surveys.fewer', { k }));
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="northstar-survey-results.csv"')
      .header('cache-control', 'no-store')
      .send(csv);
  });

  app.get('/surveys/:id/texts', run, async (req, reply) => {
    const { id } = parse(SurveyIdParam, req.params);
    return reply.page(<TextReviewPage ctx={viewContext(req, reply)} data={await surveys.nextText(req.actor, id)} />);
  });

  app.post('/surveys/:id/texts/:handle', run, async (req, reply) => {
    const { id, handle } = parse(TextParams, req.params);
    await surveys.reviewText(req.actor, id, handle, parse(TextReview, cleanForm(req.body)));
    return reply.redirect(`/surveys/${id}/texts`, 303);
  });
}
