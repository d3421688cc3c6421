import { formatYuan } from '../../../src/modules/money/index.ts';

/** Fen from the API (a JSON number) shown as yuan with grouping: 123456 → "1,234.56". */
export function yuan(fen: number | bigint): string {
  return formatYuan(BigInt(fen));
}

/** An ISO instant shown in Asia/Shanghai time, e.g. "2026-11-22 17:30:05". */
export function shanghaiTime(iso: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(new Date(iso));
}
