import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../shared/api.ts';
import { yuan } from '../../shared/format.ts';
import { LoanProgress, LoanStatusTag, ratePercent, TermText, TimeLeft } from './loan-shared.tsx';

export interface HallLoan {
  id: string;
  loanNo: string;
  title: string;
  productNameZh: string;
  productNameEn: string;
  loanType: string;
  borrower: string;
  amountFen: number;
  raisedFen: number;
  remainingFen: number;
  progressBps: number;
  annualRate: string;
  method: string;
  termMonths: number | null;
  termDays: number | null;
  grade: string | null;
  status: string;
  bidCount: number;
  bidMinFen: number;
  bidStepFen: number;
  bidMaxPerInvestorFen: number | null;
  raiseEndsAt: string | null;
  secondsLeft: number | null;
}

const TYPES = ['credit', 'guaranteed', 'net_worth', 'flash', 'mortgage', 'experience', 'corporate'];
const METHODS = ['equal_installment', 'equal_principal', 'interest_monthly', 'bullet', 'quarterly', 'daily'];
const STATUSES = ['raising', 'second_review', 'repaying', 'finished'];
const SORTS = ['newest', 'rate_desc', 'rate_asc', 'term_asc', 'term_desc', 'amount_desc', 'progress_desc'];

/** "12" (percent as typed) → "0.12"; undefined when not a plain number. */
function percentToRate(text: string): string | undefined {
  const m = /^(\d{1,2})(?:\.(\d{1,4}))?$/.exec(text.trim());
  if (!m) return undefined;
  const ppm = BigInt(m[1] ?? '0') * 10_000n + BigInt((m[2] ?? '').padEnd(4, '0'));
  const whole = ppm / 1_000_000n;
  const frac = String(ppm % 1_000_000n)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** The hall's table; `compact` (home page) shows raising loans only, without filters. */
export function HallTable(props: { compact?: boolean }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Record<string, string | undefined>>({
    status: props.compact ? 'raising' : undefined,
    sort: 'newest',
  });
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v) params.set(k, v);
  params.set('limit', props.compact ? '5' : '20');
  const query = useInfiniteQuery({
    queryKey: ['hall', params.toString()],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api<{ items: HallLoan[]; nextCursor: string | null }>(
        `/api/v1/loans?${params.toString()}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (k: string) => (v: string | undefined) => setFilter((f) => ({ ...f, [k]: v || undefined }));
  const opts = (list: string[], prefix: string) =>
    list.map((v) => ({ value: v, label: t(`${prefix}.${v}` as 'market.type.credit') }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {!props.compact && (
        <Space wrap data-testid="hall-filters">
          <Select
            allowClear
            placeholder={t('market.hall.all')}
            style={{ width: 120 }}
            options={opts(STATUSES, 'market.status')}
            onChange={set('status')}
          />
          <Select
            allowClear
            placeholder={t('market.hall.type')}
            style={{ width: 120 }}
            options={opts(TYPES, 'market.type')}
            onChange={set('type')}
          />
          <Select
            allowClear
            placeholder={t('market.hall.method')}
            style={{ width: 170 }}
            options={opts(METHODS, 'market.method')}
            onChange={set('method')}
          />
          <Select
            allowClear
            placeholder={t('market.hall.grade')}
            style={{ width: 100 }}
            options={['A', 'B', 'C', 'D', 'E'].map((g) => ({ value: g, label: g }))}
            onChange={set('grade')}
          />
          <Input
            style={{ width: 90 }}
            placeholder={`${t('market.hall.rate')} ≥`}
            onChange={(e) => set('rateMin')(percentToRate(e.target.value))}
          />
          <Input
            style={{ width: 90 }}
            placeholder={`${t('market.hall.rate')} ≤`}
            onChange={(e) => set('rateMax')(percentToRate(e.target.value))}
          />
          <Input
            style={{ width: 110 }}
            placeholder={`${t('market.hall.term')} ≤`}
            onChange={(e) =>
              set('termMax')(
                /^\d{1,3}$/.test(e.target.value) && Number(e.target.value) > 0 ? e.target.value : undefined,
              )
            }
          />
          <Select
            value={filter.sort}
            style={{ width: 150 }}
            options={opts(SORTS, 'market.hall.sorts')}
            onChange={set('sort')}
          />
        </Space>
      )}
      <Table<HallLoan>
        rowKey="id"
        data-testid="hall-table"
        loading={query.isPending}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <Empty description={t('market.hall.empty')} /> }}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('market.hall.title'),
            render: (_, l) => (
              <Space orientation="vertical" size={0}>
                <Link to={`/invest/loans/${l.id}`}>{l.title}</Link>
                <Typography.Text type="secondary">
                  {t(`market.type.${l.loanType}` as 'market.type.credit')} · {l.borrower} · {l.grade ?? '—'}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('market.hall.rate'),
            render: (_, l) => <Typography.Text strong>{ratePercent(l.annualRate)}</Typography.Text>,
          },
          { title: t('market.hall.amount'), render: (_, l) => yuan(l.amountFen) },
          {
            title: t('market.hall.term'),
            render: (_, l) => <TermText termMonths={l.termMonths} termDays={l.termDays} />,
          },
          { title: t('market.hall.method'), render: (_, l) => t(`market.method.${l.method}` as 'market.method.daily') },
          {
            title: t('market.hall.progress'),
            width: 160,
            render: (_, l) => <LoanProgress progressBps={l.progressBps} />,
          },
          { title: t('market.hall.left'), render: (_, l) => <TimeLeft seconds={l.secondsLeft} /> },
          { title: '', render: (_, l) => <LoanStatusTag status={l.status} /> },
        ]}
      />
      {query.hasNextPage && (
        <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
          {t('market.hall.more')}
        </Button>
      )}
    </Space>
  );
}

/** 融资大厅. */
export function HallPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('market.hall.title')}>
      <HallTable />
    </Card>
  );
}
