export {
  ASSESSMENT_VALIDITY_MONTHS,
  LEVEL_BANDS,
  levelForScore,
  QUESTIONNAIRE_VERSION,
  QUESTIONS,
  RISK_LEVELS,
  type RiskLevel,
  scoreAnswers,
} from './questionnaire.ts';
export { RiskError } from './risk.errors.ts';
export { riskRoutes } from './risk.routes.ts';
export {
  currentRiskAssessment,
  currentRiskLevel,
  type RiskAssessment,
  riskAssessmentHistory,
} from './risk.service.ts';
