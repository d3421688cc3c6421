import { Button, Card, Col, Row, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { HallTable } from '../invest/HallPage.tsx';

const FEATURES = [
  { title: 'home.featureCustodyTitle', text: 'home.featureCustodyText' },
  { title: 'home.featureLedgerTitle', text: 'home.featureLedgerText' },
  { title: 'home.featureReviewTitle', text: 'home.featureReviewText' },
] as const;

export function HomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Space orientation="vertical" size={24} style={{ width: '100%' }}>
      <Card
        variant="borderless"
        style={{ background: 'linear-gradient(120deg, #7f1d1d 0%, #b8322a 60%, #d9603b 100%)', color: '#fff' }}
        styles={{ body: { padding: '48px 40px' } }}
      >
        <Typography.Title level={1} style={{ color: '#fff', marginTop: 0 }} data-testid="hero-title">
          {t('home.heroTitle')}
        </Typography.Title>
        <Typography.Paragraph style={{ color: 'rgba(255,255,255,0.9)', fontSize: 16, maxWidth: 720 }}>
          {t('home.heroText')}
        </Typography.Paragraph>
        <Space>
          <Button size="large" onClick={() => navigate('/invest')}>
            {t('home.ctaInvest')}
          </Button>
          <Button size="large" ghost onClick={() => navigate('/borrow')}>
            {t('home.ctaBorrow')}
          </Button>
        </Space>
      </Card>
      <Row gutter={[16, 16]}>
        {FEATURES.map((f) => (
          <Col xs={24} md={8} key={f.title}>
            <Card title={t(f.title)} style={{ height: '100%' }}>
              {t(f.text)}
            </Card>
          </Col>
        ))}
      </Row>
      <Card title={t('home.marketTitle')}>
        <HallTable compact />
      </Card>
    </Space>
  );
}
