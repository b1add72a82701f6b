import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../../platform/api.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { parse } from '../../platform/validation.ts';
import { SurveyIdParam } from './surveys.schemas.ts';
import type { SurveysService } from './surveys.service.ts';

const Count = Type.Union([Type.Integer(), Type.Null()], { description: 'Null where fewer than minGroup: never shown' });

const Results = Type.Object({
  id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  status: Type.String({ description: 'shown; notYet (results only once closed); tooFew (fewer than minGroup answered)' }),
  minGroup: Type.Integer(),
  responses: Type.Union([Type.Integer(), Type.Null()]),
  questions: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      text: Type.String(),
      kind: Type.String({ description: 'single, multiple, scale, short or long' }),
      answered: Count,
      options: Type.Array(Type.Object({ label: Type.String(), count: Count })),
      texts: Type.Array(Type.String({ description: 'Free text an organiser has read and published' })),
    }),
  ),
});

/** Published results of a closed survey, with the same thresholds as the page. */
export function surveysApi(app: FastifyInstance, surveys: SurveysService): void {
  app.get(
    '/api/v1/surveys/:id/results',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['surveys'],
        summary: "A closed survey's results, for those who may read them (404 otherwise)",
        description: 'No figure below the survey’s minimum group size is given: such counts are null, and more are hidden where they could be worked out from the totals.',
        params: SurveyIdParam,
        response: { 200: Results, ...errorResponses },
      },
    },
    async (req) => {
      const { id } = parse(SurveyIdParam, req.params);
      const data = await surveys.results(req.actor, id);
      return {
        id,
        title: data.survey.title,
        status: data.status,
        minGroup: data.k,
        responses: data.status === 'shown' ? data.responses : null,
        questions:
          data.status === 'shown'
            ? data.results.map((r) => ({
                id: r.question.id,
                text: r.question.text,
                kind: r.question.kind,
                answered: r.answered,
                options: r.kind === 'text' ? [] : r.options,
                texts: r.kind === 'text' ? r.texts : [],
              }))
            : [],
      };
    },
  );
}
