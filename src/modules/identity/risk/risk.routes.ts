import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit } from '../../../platform/audit.ts';
import { errorResponses } from '../../../platform/http-schemas.ts';
import { type Language, localize } from '../../../platform/i18n.ts';
import {
  ANSWERS_ENTRIES_MAX,
  ASSESSMENT_VALIDITY_MONTHS,
  LEVEL_BANDS,
  levelName,
  QUESTIONNAIRE_VERSION,
  QUESTIONS,
  RISK_LEVELS,
} from './questionnaire.ts';
import { type RiskAssessment, riskAssessmentHistory, submitRiskAssessment } from './risk.service.ts';

const Assessment = Type.Object({
  id: Type.String(),
  questionnaireVersion: Type.Integer(),
  answers: Type.Record(Type.String(), Type.String()),
  score: Type.Integer(),
  level: Type.String({ enum: [...RISK_LEVELS] }),
  levelName: Type.String({ description: "The level's name in the caller's language" }),
  assessedAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  expiresOn: Type.String({ format: 'date', description: 'The business date (Asia/Shanghai) it expires on' }),
  expired: Type.Boolean(),
});

const Questionnaire = Type.Object({
  version: Type.Integer(),
  validityMonths: Type.Integer(),
  questions: Type.Array(
    Type.Object({
      id: Type.String(),
      text: Type.String(),
      options: Type.Array(Type.Object({ id: Type.String(), text: Type.String() })),
    }),
  ),
  levels: Type.Array(
    Type.Object({
      level: Type.String({ enum: [...RISK_LEVELS] }),
      name: Type.String(),
      description: Type.String(),
      minScore: Type.Integer(),
      maxScore: Type.Integer(),
    }),
  ),
});

function assessmentJson(a: RiskAssessment, language: Language) {
  return {
    id: a.id,
    questionnaireVersion: a.questionnaireVersion,
    answers: a.answers,
    score: a.score,
    level: a.level,
    levelName: localize(levelName(a.level), language),
    assessedAt: a.assessedAt.toISOString(),
    expiresAt: a.expiresAt.toISOString(),
    expiresOn: a.expiresOn,
    expired: a.expired,
  };
}

const tags = ['risk assessment'];

/** The investor risk questionnaire (风险测评) and customers' assessments. */
export const riskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/risk-questionnaire',
    {
      config: { auth: 'public' },
      schema: {
        operationId: 'getRiskQuestionnaire',
        summary: 'The investor risk questionnaire, in the caller’s language',
        tags,
        response: { 200: Questionnaire },
      },
    },
    async (request) => {
      const l = request.language;
      return {
        version: QUESTIONNAIRE_VERSION,
        validityMonths: ASSESSMENT_VALIDITY_MONTHS,
        questions: QUESTIONS.map((q) => ({
          id: q.id,
          text: localize(q.text, l),
          options: q.options.map((o) => ({ id: o.id, text: localize(o.text, l) })),
        })),
        levels: LEVEL_BANDS.map((b) => ({
          level: b.level,
          name: localize(b.name, l),
          description: localize(b.description, l),
          minScore: b.minScore,
          maxScore: b.maxScore,
        })),
      };
    },
  );

  app.get(
    '/api/v1/me/risk-assessment',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'getMyRiskAssessment',
        summary: 'My current risk level (null when none or expired) and my past assessments',
        tags,
        response: {
          200: Type.Object({
            current: Type.Union([Assessment, Type.Null()]),
            history: Type.Array(Assessment),
          }),
          ...errorResponses(401),
        },
      },
    },
    async (request) => {
      const history = await riskAssessmentHistory(app.db, request.customer!.id);
      const latest = history[0];
      return {
        current: latest && !latest.expired ? assessmentJson(latest, request.language) : null,
        history: history.map((a) => assessmentJson(a, request.language)),
      };
    },
  );

  app.post(
    '/api/v1/me/risk-assessment',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'submitMyRiskAssessment',
        summary: 'Answer the questionnaire; the result is my risk level for the next 12 months',
        tags,
        body: Type.Object(
          {
            answers: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 8 }), {
              maxProperties: ANSWERS_ENTRIES_MAX,
              description: '{ questionId: optionId } for every question',
            }),
            version: Type.Optional(Type.Integer({ description: 'The questionnaire version the form showed' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Assessment, ...errorResponses(400, 401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const assessment = await submitRiskAssessment(app.db, request.customer!.id, request.body);
      await audit(app.db, request, {
        action: 'risk_assessment.submitted',
        targetKind: 'risk_assessment',
        targetId: assessment.id,
        after: { score: assessment.score, level: assessment.level },
      });
      return reply.code(201).send(assessmentJson(assessment, request.language));
    },
  );
};
