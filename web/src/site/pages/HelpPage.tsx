import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { SectionPage } from './SectionPage.tsx';

interface SiteInfo {
  name: { zh: string; en: string };
  serviceHotline: string;
}

export function HelpPage() {
  const { t } = useTranslation();
  const site = useQuery({ queryKey: ['site'], queryFn: () => api<SiteInfo>('/api/v1/site') });
  return (
    <SectionPage title={t('pages.helpTitle')} lead={t('pages.helpText')}>
      {site.isPending ? (
        <Skeleton active paragraph={{ rows: 1 }} />
      ) : site.isError ? (
        <Alert type="error" showIcon title={site.error.message} />
      ) : (
        <Descriptions column={1}>
          <Descriptions.Item label={t('nav.help')}>
            <span data-testid="hotline">{t('pages.helpHotline', { hotline: site.data.serviceHotline })}</span>
          </Descriptions.Item>
        </Descriptions>
      )}
    </SectionPage>
  );
}
