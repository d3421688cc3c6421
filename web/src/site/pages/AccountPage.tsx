import { Button, Empty, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { SectionPage } from './SectionPage.tsx';

export function AccountPage() {
  const { t } = useTranslation();
  return (
    <SectionPage title={t('pages.accountTitle')}>
      <Empty description={t('pages.accountEmpty')}>
        <Space>
          <Button type="primary" disabled title={t('common.comingSoon')}>
            {t('pages.login')}
          </Button>
          <Button disabled title={t('common.comingSoon')}>
            {t('pages.register')}
          </Button>
        </Space>
      </Empty>
    </SectionPage>
  );
}
