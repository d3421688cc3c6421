import { Progress, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Schedule } from '../../../../src/modules/servicing/schedule/index.ts';

export interface ScheduleJsonBody {
  rows: {
    period: number;
    dueDate: string;
    principalFen: number;
    interestFen: number;
    paymentFen: number;
    remainingPrincipalFen: number;
  }[];
  totalPrincipalFen: number;
  totalInterestFen: number;
  totalPaymentFen: number;
}

/** The API's schedule (fen as JSON numbers) as the engine's bigint schedule, for ScheduleTable. */
export function scheduleFromJson(s: ScheduleJsonBody): Schedule {
  return {
    rows: s.rows.map((r) => ({
      period: r.period,
      dueDate: r.dueDate,
      principalFen: BigInt(r.principalFen),
      interestFen: BigInt(r.interestFen),
      paymentFen: BigInt(r.paymentFen),
      remainingPrincipalFen: BigInt(r.remainingPrincipalFen),
    })),
    totalPrincipalFen: BigInt(s.totalPrincipalFen),
    totalInterestFen: BigInt(s.totalInterestFen),
    totalPaymentFen: BigInt(s.totalPaymentFen),
  };
}

/** "12.00%" from "0.12". */
export function ratePercent(rate: string): string {
  const [i = '0', f = ''] = rate.split('.');
  const ppm = BigInt(i) * 1_000_000n + BigInt(f.padEnd(6, '0').slice(0, 6));
  const bps = (ppm + 50n) / 100n;
  return `${bps / 100n}.${String(bps % 100n).padStart(2, '0')}%`;
}

const STATUS_COLOR: Record<string, string> = {
  submitted: 'processing',
  returned: 'warning',
  rejected: 'error',
  scheduled: 'default',
  raising: 'green',
  second_review: 'gold',
  repaying: 'blue',
  finished: 'default',
  failed: 'default',
  cancelled: 'default',
};

export function LoanStatusTag(props: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[props.status]}>{t(`market.status.${props.status}` as 'market.status.raising')}</Tag>;
}

export function TermText(props: { termMonths: number | null; termDays: number | null }) {
  const { t } = useTranslation();
  return props.termDays !== null
    ? t('market.hall.days', { n: props.termDays })
    : t('market.hall.months', { n: props.termMonths });
}

export function LoanProgress(props: { progressBps: number }) {
  return <Progress percent={Math.floor(props.progressBps / 100)} size="small" data-testid="loan-progress" />;
}

/** Days, hours and minutes left of a raise window, in the UI language. */
export function TimeLeft(props: { seconds: number | null }) {
  const { t } = useTranslation();
  const seconds = props.seconds;
  if (seconds === null) return '—';
  if (seconds <= 0) return t('market.hall.ended');
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return t('market.hall.timeLeft', { d, h, m });
}
