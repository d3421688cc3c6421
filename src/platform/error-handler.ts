import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, CommonError, type ErrorDetails } from './errors.ts';
import { type Language, localize, pickLanguage } from './i18n.ts';

interface ValidationIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string | undefined;
}

const PROBLEM_TEXT: Record<string, { zh: string; en: string }> = {
  required: { zh: '必填', en: 'is required' },
  type: { zh: '类型不正确，应为 {type}', en: 'must be of type {type}' },
  minimum: { zh: '不能小于 {limit}', en: 'must be at least {limit}' },
  exclusiveMinimum: { zh: '必须大于 {limit}', en: 'must be greater than {limit}' },
  maximum: { zh: '不能大于 {limit}', en: 'must be at most {limit}' },
  exclusiveMaximum: { zh: '必须小于 {limit}', en: 'must be less than {limit}' },
  minLength: { zh: '长度不能少于 {limit}', en: 'must be at least {limit} characters' },
  maxLength: { zh: '长度不能超过 {limit}', en: 'must be at most {limit} characters' },
  pattern: { zh: '格式不正确', en: 'has the wrong format' },
  format: { zh: '格式不正确，应为 {format}', en: 'must be a valid {format}' },
  enum: { zh: '取值不在允许范围内', en: 'must be one of the allowed values' },
  const: { zh: '取值不正确', en: 'has the wrong value' },
  additionalProperties: { zh: '不允许的字段', en: 'is not an allowed field' },
  minItems: { zh: '至少需要 {limit} 项', en: 'must have at least {limit} items' },
  maxItems: { zh: '最多 {limit} 项', en: 'must have at most {limit} items' },
  multipleOf: { zh: '必须是 {multipleOf} 的整数倍', en: 'must be a multiple of {multipleOf}' },
};
const PROBLEM_FALLBACK = { zh: '取值无效', en: 'is invalid' };

/** The field a schema violation is about, as a dotted path (`amountFen`, `items.0.name`). */
function fieldOf(issue: ValidationIssue, context: string | undefined): string {
  const segments = issue.instancePath.split('/').filter(Boolean);
  if (issue.keyword === 'required' && typeof issue.params.missingProperty === 'string') {
    segments.push(issue.params.missingProperty);
  }
  if (issue.keyword === 'additionalProperties' && typeof issue.params.additionalProperty === 'string') {
    segments.push(issue.params.additionalProperty);
  }
  if (segments.length === 0) return context ?? 'body';
  return segments.join('.');
}

function validationError(error: FastifyError, language: Language): AppError {
  const issues = (error.validation ?? []) as unknown as ValidationIssue[];
  const context = error.validationContext;
  const first = issues[0];
  const field = first ? fieldOf(first, context) : (context ?? 'body');
  const problem = localize(PROBLEM_TEXT[first?.keyword ?? ''] ?? PROBLEM_FALLBACK, language, first?.params);
  return CommonError.VALIDATION_FAILED({
    field,
    location: context ?? 'body',
    problem,
    issues: issues.slice(0, 10).map((i) => ({ field: fieldOf(i, context), rule: i.keyword })),
  });
}

/** Map Fastify's own client errors (bad JSON, wrong content type, body too large, …) to our codes. */
function frameworkClientError(error: FastifyError): AppError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return CommonError.INVALID_JSON();
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return CommonError.PAYLOAD_TOO_LARGE();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return CommonError.UNSUPPORTED_MEDIA_TYPE();
    default:
      break;
  }
  if (error instanceof SyntaxError && error.statusCode === 400) return CommonError.INVALID_JSON();
  const status = error.statusCode ?? 500;
  if (status === 429) return CommonError.RATE_LIMITED();
  if (status >= 400 && status < 500) return CommonError.BAD_REQUEST({ reason: error.code ?? 'client_error' });
  return undefined;
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const message = localize(error.text, request.language, error.details);
  const body: { code: string; message: string; details?: ErrorDetails } = { code: error.code, message };
  // Details may carry bigint fen; JSON has no bigint, so they go out as strings rather than crash the answer.
  if (error.details !== undefined)
    body.details = JSON.parse(
      JSON.stringify(error.details, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
    );
  return reply.code(error.status).header('content-language', request.language).send({ error: body });
}

/** One error handler for the whole app: typed errors → 4xx in the caller's language; anything else → 500. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.status >= 500) request.log.error({ err: error }, 'server error');
      return sendError(request, reply, error);
    }
    if (error.validation) return sendError(request, reply, validationError(error, request.language));
    const clientError = frameworkClientError(error);
    if (clientError) return sendError(request, reply, clientError);
    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, CommonError.INTERNAL_ERROR({ requestId: request.id }));
  });
}

/** Serves a page for a browser path the API does not own (the web app's index.html); undefined: none. */
export type PageFallback =
  | ((request: FastifyRequest, reply: FastifyReply) => FastifyReply | Promise<FastifyReply>)
  | undefined;

/** Unknown routes answer a JSON 404 with a code, unless the page fallback takes a browser page path. */
export function installNotFound(app: FastifyInstance, pageFallback: PageFallback): void {
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    if (pageFallback && isPagePath(request.method, path)) return pageFallback(request, reply);
    return sendError(request, reply, CommonError.ROUTE_NOT_FOUND({ method: request.method, path: path.slice(0, 200) }));
  });
}

/** Paths the web app never owns: unknown ones always answer a JSON 404. */
const API_PREFIXES = ['/api', '/docs', '/openapi.json', '/healthz', '/readyz', '/sandbox'];

function isPagePath(method: string, path: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !last.includes('.');
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's language, from Accept-Language (zh-CN by default). */
    language: Language;
  }
}

export function installLanguage(app: FastifyInstance): void {
  app.decorateRequest('language', 'zh-CN');
  app.addHook('onRequest', async (request) => {
    request.language = pickLanguage(request.headers['accept-language']);
  });
}
