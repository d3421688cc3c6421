import { createHmac, randomUUID } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { type FieldCipher, maskPhone } from '../../platform/crypto.ts';
import { phoneHash } from './customers.service.ts';

export const SMS_PURPOSES = ['register', 'login', 'reset_password', 'withdraw', 'bind_card'] as const;
export type SmsPurpose = (typeof SMS_PURPOSES)[number];

/** Field-cipher context of the phone number kept with each outbox message. */
const SMS_PHONE_CONTEXT = 'sms_message.phone';
/** How long the HTTP provider waits for the vendor before recording a failure. */
export const SMS_HTTP_TIMEOUT_MS = 5_000;
const SMS_ERROR_CHARS_MAX = 200;

export interface SmsMessage {
  /** A validated mainland mobile number. */
  readonly phone: string;
  readonly purpose: SmsPurpose;
  /** The text the customer receives. */
  readonly body: string;
  /** The text kept in the outbox when the message leaves the platform (codes starred). */
  readonly redactedBody: string;
  readonly ip: string | null;
}

export interface SmsSendResult {
  readonly messageId: string;
  readonly ok: boolean;
}

/**
 * Where SMS go. Every provider records each message in `sms_messages` (phone encrypted, hashed and masked), so
 * the back office can show what was sent and what failed.
 */
export interface SmsProvider {
  readonly name: 'outbox' | 'http';
  send(db: Db, message: SmsMessage): Promise<SmsSendResult>;
}

async function record(
  db: Db,
  cipher: FieldCipher,
  provider: string,
  message: SmsMessage,
  body: string,
  status: 'queued' | 'sent',
): Promise<string> {
  const id = `sms_${randomUUID().replaceAll('-', '')}`;
  await db
    .insertInto('sms_messages')
    .values({
      id,
      phone_hash: phoneHash(cipher, message.phone),
      phone_masked: maskPhone(message.phone),
      phone_cipher: cipher.encrypt(message.phone, SMS_PHONE_CONTEXT),
      purpose: message.purpose,
      body,
      provider,
      status,
      error: null,
      ip: message.ip,
    })
    .execute();
  return id;
}

/**
 * The development and demo provider: the message stays in the outbox table, full text included (it is the
 * delivery channel); `GET /api/v1/dev/sms-outbox` reads it back while this provider is configured.
 */
export function outboxSmsProvider(cipher: FieldCipher): SmsProvider {
  return {
    name: 'outbox',
    async send(db, message) {
      const messageId = await record(db, cipher, 'outbox', message, message.body, 'sent');
      return { messageId, ok: true };
    },
  };
}

/** The signature a vendor checks: hex HMAC-SHA256 of `${timestamp}.${rawBody}` with the shared secret. */
export function smsSignature(secret: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

export interface HttpSmsOptions {
  readonly url: string;
  readonly secret: string;
  readonly timeoutMs?: number;
  /** Injected by tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
}

/**
 * A real SMS vendor behind an HTTP endpoint: POST JSON `{messageId, phone, purpose, text}` with `X-Timestamp`
 * (Unix seconds) and `X-Signature`. Any answer but 2xx, a network error or a timeout is recorded as a failure
 * (status `failed` with the reason); the outbox keeps the text with the code starred.
 */
export function httpSmsProvider(cipher: FieldCipher, options: HttpSmsOptions): SmsProvider {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? SMS_HTTP_TIMEOUT_MS;
  return {
    name: 'http',
    async send(db, message) {
      const messageId = await record(db, cipher, 'http', message, message.redactedBody, 'queued');
      const rawBody = JSON.stringify({ messageId, phone: message.phone, purpose: message.purpose, text: message.body });
      const timestamp = String(Math.floor((options.now?.() ?? new Date()).getTime() / 1000));
      let error: string | null = null;
      try {
        const response = await doFetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-timestamp': timestamp,
            'x-signature': smsSignature(options.secret, timestamp, rawBody),
          },
          body: rawBody,
          signal: AbortSignal.timeout(timeoutMs),
        });
        // Drain the answer so the connection is released; its content is not needed.
        await response.arrayBuffer().catch(() => undefined);
        if (!response.ok) error = `HTTP ${response.status}`;
      } catch (cause) {
        const name = (cause as Error | undefined)?.name;
        error =
          name === 'TimeoutError' || name === 'AbortError'
            ? `timeout after ${timeoutMs} ms`
            : `network error: ${(cause as Error | undefined)?.message ?? String(cause)}`;
      }
      await db
        .updateTable('sms_messages')
        .set({ status: error ? 'failed' : 'sent', error: error?.slice(0, SMS_ERROR_CHARS_MAX) ?? null })
        .where('id', '=', messageId)
        .execute();
      return { messageId, ok: error === null };
    },
  };
}

/** The provider the configuration names (config.ts has already checked the URL and secret for 'http'). */
export function smsProviderFromConfig(config: Config, cipher: FieldCipher): SmsProvider {
  if (config.smsProvider === 'http') {
    return httpSmsProvider(cipher, { url: config.smsHttpUrl ?? '', secret: config.smsHttpSecret ?? '' });
  }
  return outboxSmsProvider(cipher);
}

/** The latest outbox messages to a phone (newest first), for the development endpoint. */
export async function latestOutboxMessages(db: Db, cipher: FieldCipher, phone: string, limit: number) {
  const rows = await db
    .selectFrom('sms_messages')
    .select(['id', 'phone_masked', 'purpose', 'body', 'status', 'created_at'])
    .where('phone_hash', '=', phoneHash(cipher, phone))
    .where('provider', '=', 'outbox')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    phoneMasked: r.phone_masked,
    purpose: r.purpose,
    body: r.body,
    status: r.status,
    createdAt: r.created_at.toISOString(),
  }));
}
