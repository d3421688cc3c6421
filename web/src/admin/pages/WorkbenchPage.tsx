import { Card, Empty } from 'antd';
import { useTranslation } from 'react-i18next';

export function WorkbenchPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('admin.workbenchTitle')}>
      <Empty description={t('admin.workbenchEmpty')} />
    </Card>
  );
}
