import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { shanghaiTime, yuan } from '../../shared/format.ts';
import { MY_DATA } from '../customer-session.ts';
import { ratePercent } from '../invest/loan-shared.tsx';

interface MyBid {
  bidId: string;
  loanId: string;
  loanNo: string;
  loanTitle: string;
  loanStatus: string;
  annualRate: string;
  amountFen: number;
  fromBonusFen: number;
  status: 'held' | 'posted' | 'voided';
  createdAt: string;
  pendingPrincipalFen: number;
  pendingInterestFen: number;
  receivedFen: number;
}

const STATUS_COLOR = { held: 'processing', posted: 'success', voided: 'default' } as const;

/** 我的投资: my bids and holdings, newest first, with what is still to come. */
export function MyBidsPage() {
  const { t } = useTranslation();
  const bids = useInfiniteQuery({
    queryKey: [MY_DATA, 'bids'],
    queryFn: ({ pageParam }) =>
      api<{ items: MyBid[]; nextCursor: string | null }>(
        `/api/v1/me/bids?limit=20${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (bids.isError) return <Alert type="error" showIcon title={bids.error.message} />;
  const rows = bids.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card title={t('bidding.myBids.title')} data-testid="my-bids">
      <Table<MyBid>
        rowKey="bidId"
        loading={bids.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('bidding.myBids.empty') }}
        columns={[
          { title: t('bidding.myBids.loan'), render: (_v, b) => `${b.loanTitle} (${b.loanNo})` },
          { title: t('bidding.myBids.amount'), align: 'right', render: (_v, b) => `¥${yuan(b.amountFen)}` },
          { title: t('bidding.myBids.rate'), render: (_v, b) => ratePercent(b.annualRate) },
          {
            title: t('bidding.myBids.status'),
            render: (_v, b) => <Tag color={STATUS_COLOR[b.status]}>{t(`bidding.myBids.bidStatus.${b.status}`)}</Tag>,
          },
          { title: t('bidding.myBids.loanStatus'), render: (_v, b) => t(`bidding.loanStatus.${b.loanStatus}`) },
          {
            title: t('bidding.myBids.pendingPrincipal'),
            align: 'right',
            render: (_v, b) => `¥${yuan(b.pendingPrincipalFen)}`,
          },
          {
            title: t('bidding.myBids.pendingInterest'),
            align: 'right',
            render: (_v, b) => `¥${yuan(b.pendingInterestFen)}`,
          },
          { title: t('bidding.myBids.received'), align: 'right', render: (_v, b) => `¥${yuan(b.receivedFen)}` },
          { title: t('bidding.myBids.time'), render: (_v, b) => shanghaiTime(b.createdAt) },
          {
            title: '',
            render: (_v, b) =>
              b.status === 'posted' ? (
                <a
                  href={`/api/v1/me/loans/${encodeURIComponent(b.loanId)}/contract.pdf`}
                  download
                  data-testid="bid-contract-link"
                >
                  {t('bidding.contract.download')}
                </a>
              ) : null,
          },
        ]}
      />
      {bids.hasNextPage ? (
        <Button style={{ marginTop: 12 }} onClick={() => void bids.fetchNextPage()} loading={bids.isFetchingNextPage}>
          {t('bidding.myBids.more')}
        </Button>
      ) : null}
    </Card>
  );
}
