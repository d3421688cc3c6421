import type { LocalizedText } from './i18n.ts';

/** How an expected failure is reported: its HTTP status and its message in every language. */
export interface ErrorSpec extends LocalizedText {
  readonly status: number;
}

export type ErrorDetails = Readonly<Record<string, unknown>>;

/**
 * An expected failure with a stable UPPER_SNAKE code. The error handler turns it into
 * `{ error: { code, message, details } }` with the message in the caller's language.
 * Placeholders like `{field}` in the messages are filled from `details`.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly text: LocalizedText;
  readonly details: ErrorDetails | undefined;

  constructor(code: string, spec: ErrorSpec, details?: ErrorDetails) {
    super(`${code}: ${spec.en}`);
    this.name = 'AppError';
    this.code = code;
    this.status = spec.status;
    this.text = { zh: spec.zh, en: spec.en };
    this.details = details;
  }
}

export type ErrorFactory = (details?: ErrorDetails) => AppError;

/**
 * Declare a module's error codes once; the compiler demands a status and both messages for each.
 *
 *   export const LedgerError = defineErrors({
 *     INSUFFICIENT_BALANCE: { status: 422, zh: '可用余额不足', en: 'Insufficient available balance' },
 *   });
 *   throw LedgerError.INSUFFICIENT_BALANCE({ accountId });
 */
export function defineErrors<const T extends Record<string, ErrorSpec>>(
  specs: T,
): { readonly [K in keyof T]: ErrorFactory } {
  const factories: Record<string, ErrorFactory> = {};
  for (const [code, spec] of Object.entries(specs)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(code)) throw new Error(`error code must be UPPER_SNAKE: ${code}`);
    factories[code] = (details) => new AppError(code, spec, details);
  }
  return Object.freeze(factories) as { readonly [K in keyof T]: ErrorFactory };
}

/** Errors every module may raise; modules declare their own beside their code. */
export const CommonError = defineErrors({
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在：{method} {path}', en: 'No such endpoint: {method} {path}' },
  NOT_FOUND: { status: 404, zh: '记录不存在', en: 'Not found' },
  VALIDATION_FAILED: { status: 400, zh: '请求参数有误：{field}', en: 'Invalid request: {field}' },
  INVALID_JSON: { status: 400, zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  BAD_REQUEST: { status: 400, zh: '请求无效', en: 'Bad request' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求体过大', en: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in first' },
  FORBIDDEN: { status: 403, zh: '没有权限执行此操作', en: 'You do not have permission to do this' },
  CONFLICT: { status: 409, zh: '操作冲突，请刷新后重试', en: 'Conflict; please refresh and try again' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    zh: '幂等键已用于另一请求',
    en: 'The Idempotency-Key was already used for a different request',
  },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; please try again later' },
  SERVICE_UNAVAILABLE: { status: 503, zh: '服务暂不可用', en: 'Service unavailable' },
  INTERNAL_ERROR: {
    status: 500,
    zh: '系统内部错误，请稍后再试（请求编号 {requestId}）',
    en: 'Internal error; please try again later (request id {requestId})',
  },
});

/** A programmer error: a condition that must never happen. Crashes the request (500) and is logged. */
export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionError';
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}
