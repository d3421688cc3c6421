import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Descriptions, Row, Skeleton, Statistic, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../shared/api.ts';
import { yuan } from '../../shared/format.ts';
import { MY_DATA, useCustomerMe } from '../customer-session.ts';

export interface Balances {
  availableFen: number;
  frozenFen: number;
  bonusFen: number;
  bonusFrozenFen: number;
  totalCashFen: number;
}

/** 账户总览: balances, identity status, phone and referral code. */
export function OverviewPage() {
  const { t } = useTranslation();
  const me = useCustomerMe().data;
  const balances = useQuery({ queryKey: [MY_DATA, 'account'], queryFn: () => api<Balances>('/api/v1/me/account') });
  const verified = me?.realName.status === 'verified';
  const figure = (key: keyof Balances, label: string, testId: string) => (
    <Col xs={12} md={6}>
      <Card>
        <Statistic
          title={label}
          value={balances.data ? yuan(balances.data[key]) : '—'}
          loading={balances.isPending}
          styles={{ content: { fontVariantNumeric: 'tabular-nums' } }}
          data-testid={testId}
        />
      </Card>
    </Col>
  );
  return (
    <>
      {balances.isError ? (
        <Alert type="error" showIcon title={balances.error.message} style={{ marginBottom: 16 }} />
      ) : null}
      <Row gutter={[16, 16]}>
        {figure('availableFen', t('customer.account.available'), 'balance-available')}
        {figure('frozenFen', t('customer.account.frozen'), 'balance-frozen')}
        {figure('bonusFen', t('customer.account.bonus'), 'balance-bonus')}
        {figure('totalCashFen', t('customer.account.totalCash'), 'balance-total')}
      </Row>
      <Card style={{ marginTop: 16 }} title={t('customer.account.title')}>
        {me ? (
          <Descriptions column={1} bordered size="small">
            <Descriptions.Item label={t('customer.account.phone')}>
              <span data-testid="account-phone">{me.phoneMasked}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('customer.account.realNameStatus')}>
              <span data-testid="account-real-name">
                {verified ? (
                  <>
                    <Tag color="success">{t('customer.account.verified')}</Tag> {me.realName.nameMasked} ·{' '}
                    {me.realName.idNumberMasked}
                  </>
                ) : (
                  <>
                    <Tag>{t('customer.account.unverified')}</Tag>{' '}
                    <Link to="/account/real-name">{t('customer.account.goVerify')}</Link>
                  </>
                )}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('customer.account.referralCode')}>{me.referralCode}</Descriptions.Item>
          </Descriptions>
        ) : (
          <Skeleton active />
        )}
      </Card>
    </>
  );
}
