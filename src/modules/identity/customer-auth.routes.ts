import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../platform/audit.ts';
import { AuthError } from '../../platform/auth/auth.plugin.ts';
import { clearSessionCookies, setSessionCookies } from '../../platform/auth/cookies.ts';
import { createSession, revokeSession, revokeSubjectSessions } from '../../platform/auth/sessions.ts';
import { maskPhone } from '../../platform/crypto.ts';
import { errorResponses } from '../../platform/http-schemas.ts';
import { CustomerError } from './customer.errors.ts';
import { customerProfile, registerCustomer, resetCustomerPassword, signInCustomer } from './customer-auth.service.ts';
import { optionalCustomerSession } from './customer-session.ts';
import { phoneHash } from './customers.service.ts';
import { latestOutboxMessages, SMS_PURPOSES, type SmsProvider, smsProviderFromConfig } from './sms.provider.ts';
import { requestSmsCode, SIGNED_IN_PURPOSES } from './sms-codes.service.ts';
import { validateMainlandMobile } from './validators.ts';

export const CustomerMe = Type.Object({
  id: Type.String(),
  phoneMasked: Type.String({ examples: ['138****5678'] }),
  kind: Type.String({ enum: ['person', 'company'] }),
  status: Type.String({ enum: ['active', 'frozen', 'closed'] }),
  referralCode: Type.String(),
  hasPassword: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  realName: Type.Object({
    status: Type.String({ enum: ['unverified', 'verified'] }),
    nameMasked: Type.Union([Type.String(), Type.Null()], { examples: ['张*'] }),
    idNumberMasked: Type.Union([Type.String(), Type.Null()], { examples: ['3301**********1234'] }),
    verifiedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  }),
});

const Phone = Type.String({ minLength: 1, maxLength: 32, description: 'Mainland mobile number (+86 optional)' });
const SmsCode = Type.String({ pattern: '^[0-9]{6}$', description: 'The 6-digit SMS code' });
const Password = Type.String({ minLength: 1, maxLength: 128 });
const SignedIn = Type.Object({ token: Type.String(), user: CustomerMe });

/** The outbox endpoint shows at most this many messages, of at most this age. */
const OUTBOX_MESSAGES_MAX = 20;

const tags = ['customers: sign-in'];

/** A phone for the audit log: masked when it is a valid number, otherwise nothing of what was typed. */
function auditPhone(text: string): string | null {
  const phone = validateMainlandMobile(text);
  return phone.ok ? maskPhone(phone.normalised) : null;
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}

export interface CustomerAuthOptions {
  /** Where SMS go; by default the provider the configuration names. */
  readonly sms?: SmsProvider;
}

/** Customer SMS codes, registration, sign-in and -out, password reset, and the profile. */
export const customerAuthRoutes: FastifyPluginAsyncTypebox<CustomerAuthOptions> = async (app, options) => {
  const sms = options.sms ?? smsProviderFromConfig(app.config, app.cipher);

  async function signIn(request: FastifyRequest, userId: string, reply: Parameters<typeof setSessionCookies>[0]) {
    const session = await createSession(app.db, {
      subjectKind: 'customer',
      subjectId: userId,
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? '',
    });
    setSessionCookies(reply, 'customer', session, app.config.cookieSecure);
    return { token: session.token, user: await customerProfile(app.db, userId) };
  }

  /** The account a phone belongs to, for the audit log's target (never shown to the caller). */
  async function accountOf(phoneText: string): Promise<string | undefined> {
    const phone = validateMainlandMobile(phoneText);
    if (!phone.ok) return undefined;
    const row = await app.db
      .selectFrom('users')
      .select('id')
      .where('phone_hash', '=', phoneHash(app.cipher, phone.normalised))
      .executeTakeFirst();
    return row?.id;
  }

  app.post(
    '/api/v1/auth/sms-codes',
    {
      config: { auth: 'public' },
      schema: {
        operationId: 'requestSmsCode',
        summary: 'Send a 6-digit SMS code (valid 5 minutes, single use, 5 wrong tries)',
        description:
          'Limits: 1 per phone per minute, 10 per phone per 24 hours, 20 per IP per hour (429). The answer is the ' +
          'same whether or not the phone has an account: a `login` or `reset_password` code for an unknown phone ' +
          'sends nothing; a `register` code for a registered phone sends a notice instead of a code. `withdraw` ' +
          "(to the account's own phone) and `bind_card` (to the card's reserved phone) need a signed-in customer.",
        tags,
        body: Type.Object(
          { phone: Phone, purpose: Type.String({ enum: [...SMS_PURPOSES] }) },
          { additionalProperties: false },
        ),
        response: {
          202: Type.Object({ expiresInSeconds: Type.Integer(), resendAfterSeconds: Type.Integer() }),
          ...errorResponses(400, 401, 403, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const purpose = request.body.purpose as (typeof SMS_PURPOSES)[number];
      let customerId: string | null = null;
      if (SIGNED_IN_PURPOSES.has(purpose)) {
        const signedIn = await optionalCustomerSession(app.db, request);
        if (!signedIn) throw CustomerError.SMS_PURPOSE_NEEDS_SIGN_IN();
        if (signedIn.status === 'frozen') throw AuthError.ACCOUNT_FROZEN();
        customerId = signedIn.session.subjectId;
      }
      const accepted = await requestSmsCode(app.db, app.cipher, sms, {
        phone: request.body.phone,
        purpose,
        ip: request.ip,
        customerId,
      });
      return reply.code(202).send(accepted);
    },
  );

  app.get(
    '/api/v1/dev/sms-outbox',
    {
      config: { auth: 'public' },
      schema: {
        operationId: 'getDevSmsOutbox',
        summary: 'Development only: the latest SMS to a phone (404 unless SMS_PROVIDER=outbox)',
        tags: ['development'],
        querystring: Type.Object(
          {
            phone: Phone,
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: OUTBOX_MESSAGES_MAX, default: 5 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                phoneMasked: Type.String(),
                purpose: Type.String(),
                body: Type.String(),
                status: Type.String(),
                createdAt: Type.String({ format: 'date-time' }),
              }),
            ),
          }),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      if (sms.name !== 'outbox') throw CustomerError.SMS_OUTBOX_DISABLED();
      const phone = validateMainlandMobile(request.query.phone);
      if (!phone.ok) throw CustomerError.PHONE_INVALID({ field: 'phone' });
      return { items: await latestOutboxMessages(app.db, app.cipher, phone.normalised, request.query.limit ?? 5) };
    },
  );

  app.post(
    '/api/v1/auth/register',
    {
      config: { auth: 'public' },
      schema: {
        operationId: 'registerCustomer',
        summary: 'Register with a phone, its register code and a password; signs in',
        tags,
        body: Type.Object(
          {
            phone: Phone,
            smsCode: SmsCode,
            password: Password,
            referralCode: Type.Optional(Type.String({ maxLength: 16 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: SignedIn, ...errorResponses(400, 409, 429) },
      },
    },
    async (request, reply) => {
      const { userId } = await registerCustomer(app.db, app.cipher, request.body);
      await audit(app.db, request, {
        action: 'customer.register',
        actor: { kind: 'customer', id: userId },
        targetKind: 'customer',
        targetId: userId,
        detail: { referred: Boolean(request.body.referralCode) },
      });
      const body = await signIn(request, userId, reply);
      return reply.code(201).send(body);
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      config: { auth: 'public' },
      schema: {
        operationId: 'customerLogin',
        summary: 'Sign in with the phone and either the password or a login SMS code',
        description:
          'Answers `{token, user}` and sets the httpOnly session cookie and the readable `csrf_token` cookie. ' +
          'Five failures in a row lock the account for 15 minutes (429 ACCOUNT_LOCKED).',
        tags,
        body: Type.Object(
          { phone: Phone, password: Type.Optional(Password), smsCode: Type.Optional(SmsCode) },
          { additionalProperties: false },
        ),
        response: { 200: SignedIn, ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const method = request.body.smsCode ? 'sms' : 'password';
      let result: Awaited<ReturnType<typeof signInCustomer>>;
      try {
        result = await signInCustomer(app.db, app.cipher, request.body);
      } catch (error) {
        const target = await accountOf(request.body.phone);
        await audit(app.db, request, {
          action: 'customer.login',
          outcome: 'refused',
          ...(target ? { targetKind: 'customer', targetId: target } : {}),
          detail: { phoneMasked: auditPhone(request.body.phone), method, reason: errorCode(error) ?? 'error' },
        });
        throw error;
      }
      await audit(app.db, request, {
        action: 'customer.login',
        actor: { kind: 'customer', id: result.userId },
        targetKind: 'customer',
        targetId: result.userId,
        detail: { method: result.method },
      });
      return signIn(request, result.userId, reply);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { auth: 'public' },
      schema: {
        operationId: 'customerLogout',
        summary: 'Sign out of this session (a frozen account may too); clears the cookies',
        tags,
        response: { 204: Type.Null(), ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      const signedIn = await optionalCustomerSession(app.db, request);
      if (signedIn) {
        await revokeSession(app.db, signedIn.session.tokenHash);
        await audit(app.db, request, {
          action: 'customer.logout',
          actor: { kind: 'customer', id: signedIn.session.subjectId },
        });
      }
      clearSessionCookies(reply, 'customer');
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/reset-password',
    {
      config: { auth: 'public' },
      schema: {
        operationId: 'resetCustomerPassword',
        summary: 'Set a new password with a reset_password SMS code; signs out every session',
        tags,
        body: Type.Object({ phone: Phone, smsCode: SmsCode, newPassword: Password }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      let userId: string;
      try {
        ({ userId } = await resetCustomerPassword(app.db, app.cipher, request.body));
      } catch (error) {
        await audit(app.db, request, {
          action: 'customer.password_reset',
          outcome: 'refused',
          detail: { phoneMasked: auditPhone(request.body.phone), reason: errorCode(error) ?? 'error' },
        });
        throw error;
      }
      await revokeSubjectSessions(app.db, 'customer', userId);
      await audit(app.db, request, {
        action: 'customer.password_reset',
        actor: { kind: 'customer', id: userId },
        targetKind: 'customer',
        targetId: userId,
      });
      clearSessionCookies(reply, 'customer');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'getCustomerMe',
        summary: 'My profile: phone, real-name status, referral code (sensitive fields masked)',
        tags: ['customers: profile'],
        response: { 200: CustomerMe, ...errorResponses(401) },
      },
    },
    async (request) => customerProfile(app.db, request.customer!.id),
  );
};
