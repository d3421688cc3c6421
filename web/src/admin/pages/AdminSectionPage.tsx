import { Card, Empty } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { NotFoundPage } from '../../site/pages/NotFoundPage.tsx';
import { ADMIN_MENU } from '../AdminLayout.tsx';

export function AdminSectionPage() {
  const { t } = useTranslation();
  const { section } = useParams();
  const entry = ADMIN_MENU.find((m) => m.key === section);
  if (!entry) return <NotFoundPage />;
  return (
    <Card title={t(entry.label)}>
      <Empty description={t('admin.sectionEmpty')} />
    </Card>
  );
}
