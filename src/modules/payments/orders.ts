import { randomBytes } from 'node:crypto';

export type RechargeStatus = 'created' | 'succeeded' | 'failed';
export type WithdrawalStatus = 'pending_review' | 'processing' | 'succeeded' | 'failed' | 'rejected';

const ORDER_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Today's business date in Asia/Shanghai, 'YYYY-MM-DD'. */
export function shanghaiDate(at: Date = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(at);
}

/** An order number: a kind letter, the Shanghai date and time, and 8 random characters (R20261122093015K3M9QZ2A). */
export function newOrderNo(kind: 'R' | 'W' | 'O', at: Date = new Date()): string {
  const stamp = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  })
    .format(at)
    .replace(/\D/g, '');
  const random = Array.from(randomBytes(8), (b) => ORDER_ALPHABET[b % ORDER_ALPHABET.length]).join('');
  return `${kind}${stamp}${random}`;
}
