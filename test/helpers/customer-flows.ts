import { idNumberCheckChar } from '../../src/modules/identity/validators.ts';
import { testPhone } from './customers.ts';
import type { TestApp } from './test-app.ts';

let ipCounter = 0;

/** A client IP of its own for each flow, so the per-IP SMS limit of one test does not reach the next. */
export function newIp(): string {
  ipCounter += 1;
  return `10.${(process.pid >> 8) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

/** A valid 18-character ID number for a birth date (YYYYMMDD) and a 3-digit sequence (odd: male). */
export function idNumberFor(birthDate: string, sequence = '123', area = '330106'): string {
  const first17 = `${area}${birthDate}${sequence}`;
  return `${first17}${idNumberCheckChar(first17)}`;
}

let idCounter = 0;
/** A fresh valid adult ID number, different for every call in this process. */
export function freshIdNumber(): string {
  idCounter += 1;
  const seq = String((process.pid * 7 + idCounter) % 1000).padStart(3, '0');
  const day = String((idCounter % 28) + 1).padStart(2, '0');
  return idNumberFor(`1988${String((idCounter % 12) + 1).padStart(2, '0')}${day}`, seq);
}

/** The Luhn check digit that completes `body`. */
export function luhnComplete(body: string): string {
  for (let d = 0; d <= 9; d++) {
    const digits = `${body}${d}`;
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let n = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 1) {
        n *= 2;
        if (n > 9) n -= 9;
      }
      sum += n;
    }
    if (sum % 10 === 0) return digits;
  }
  throw new Error('unreachable');
}

let cardCounter = 0;
/** A fresh Luhn-valid 19-digit card number. */
export function freshCardNumber(prefix = '622202'): string {
  cardCounter += 1;
  const middle = String((process.pid * 1000 + cardCounter) % 1_000_000_000_000).padStart(12, '0');
  return luhnComplete(`${prefix}${middle}`);
}

/** Ask for an SMS code from a given IP; returns the response. */
export function requestCode(
  t: TestApp,
  phone: string,
  purpose: string,
  ip: string,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/sms-codes',
    payload: { phone, purpose },
    remoteAddress: ip,
    headers,
  });
}

/** The 6-digit code in the latest outbox message to a phone (throws when there is none). */
export async function outboxCode(t: TestApp, phone: string): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/dev/sms-outbox?phone=${phone}&limit=1` });
  const body = res.json() as { items: { body: string }[] };
  const match = /\b(\d{6})\b/.exec(body.items[0]?.body ?? '');
  if (!match) throw new Error(`no code in the outbox for ${phone}: ${res.body}`);
  return match[1]!;
}

export interface RegisteredCustomer {
  readonly id: string;
  readonly phone: string;
  readonly password: string;
  readonly token: string;
  readonly headers: Record<string, string>;
  readonly ip: string;
}

export const REGISTER_PASSWORD = 'Sturdy-pass-2026';

/** Register a customer through the API (code from the outbox). */
export async function registerViaApi(t: TestApp, phone = testPhone()): Promise<RegisteredCustomer> {
  const ip = newIp();
  const sent = await requestCode(t, phone, 'register', ip);
  if (sent.statusCode !== 202) throw new Error(`sms-codes answered ${sent.statusCode}: ${sent.body}`);
  const smsCode = await outboxCode(t, phone);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { phone, smsCode, password: REGISTER_PASSWORD },
    remoteAddress: ip,
  });
  if (res.statusCode !== 201) throw new Error(`register answered ${res.statusCode}: ${res.body}`);
  const { token, user } = res.json() as { token: string; user: { id: string } };
  return {
    id: user.id,
    phone,
    password: REGISTER_PASSWORD,
    token,
    headers: { authorization: `Bearer ${token}` },
    ip,
  };
}

/** Verify a customer's identity through the API with a fresh valid ID number. */
export async function verifyViaApi(t: TestApp, headers: Record<string, string>, name = '张三丰') {
  const idNumber = freshIdNumber();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/me/real-name',
    headers,
    payload: { name, idNumber },
  });
  if (res.statusCode !== 200) throw new Error(`real-name answered ${res.statusCode}: ${res.body}`);
  return { idNumber, name };
}

/** Add a card through the API (bind_card code to the reserved phone from the outbox). */
export async function addCardViaApi(
  t: TestApp,
  customer: { headers: Record<string, string> },
  input: { cardNumber?: string; reservedPhone?: string; bankCode?: string } = {},
) {
  const reservedPhone = input.reservedPhone ?? testPhone();
  const cardNumber = input.cardNumber ?? freshCardNumber();
  const ip = newIp();
  const sent = await requestCode(t, reservedPhone, 'bind_card', ip, customer.headers);
  if (sent.statusCode !== 202) throw new Error(`bind_card code answered ${sent.statusCode}: ${sent.body}`);
  const smsCode = await outboxCode(t, reservedPhone);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/me/bank-cards',
    headers: customer.headers,
    payload: { bankCode: input.bankCode ?? 'ICBC', cardNumber, reservedPhone, smsCode },
  });
  return { res, cardNumber, reservedPhone };
}

/** `lh_session=…; csrf_token=…` from a login answer's Set-Cookie, and the CSRF token. */
export function cookiesOf(setCookie: string | string[] | undefined): { cookie: string; csrf: string } {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const pairs = list.map((c) => c.split(';')[0] ?? '');
  const csrf = pairs.find((p) => p.startsWith('csrf_token='))?.split('=')[1] ?? '';
  return { cookie: pairs.join('; '), csrf };
}
