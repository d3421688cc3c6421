import { createHmac, timingSafeEqual } from 'node:crypto';

/** Callbacks older (or newer) than this are refused: a captured callback cannot be replayed later. */
export const SIGNATURE_MAX_AGE_SECONDS = 300;

/** HMAC-SHA256 over `${timestamp}.${rawBody}`, hex. */
export function signBody(secret: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

export type SignatureCheck = 'ok' | 'missing' | 'stale' | 'bad_signature';

/** Check the X-Timestamp and X-Signature of a callback against its raw body. */
export function checkSignature(
  secret: string,
  rawBody: string,
  timestamp: string | undefined,
  signature: string | undefined,
  nowMs: number = Date.now(),
): SignatureCheck {
  if (!timestamp || !signature) return 'missing';
  if (!/^\d{9,11}$/.test(timestamp)) return 'stale';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_MAX_AGE_SECONDS) return 'stale';
  if (!/^[0-9a-f]{64}$/.test(signature)) return 'bad_signature';
  const expected = Buffer.from(signBody(secret, timestamp, rawBody), 'hex');
  const given = Buffer.from(signature, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'bad_signature';
}
